package dev.quiesce.dap;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugRequestMessage;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;

/**
 * Runs an action right after the response to a given command has been written. DAP wants some
 * things strictly after a response: the {@code initialized} event after {@code initialize}'s
 * response (a client that waits for the event only once it has the response would otherwise miss
 * it), and closing the connection after {@code disconnect}'s.
 */
final class ResponseHooks {
    /**
     * Success-only actions, keyed by the request's seq when registered by its handler (else by
     * {@code command:NAME}). Keyed by seq, a refused disconnect's response, written on another
     * thread after the client already sent the next disconnect, cannot take that one's action.
     */
    private final Map<String, Runnable> afterResponse = new ConcurrentHashMap<>();
    /** The request LSP4J is dispatching on this thread (for {@link CancelRequests} and {@link RequestDeadlines}). */
    private final ThreadLocal<DebugRequestMessage> dispatching = new ThreadLocal<>();

    /** Runs {@code action} once, after the next response to {@code command} is written, if it succeeded. */
    void afterResponse(String command, Runnable action) {
        Integer seq = dispatchingRequest();
        afterResponse.put(seq != null ? seq.toString() : "command:" + command, action);
    }

    private final Map<String, Runnable> afterResponseToRequest = new ConcurrentHashMap<>();

    /** Runs {@code action} once, right after the response to request {@code seq} is written (success or not). */
    void afterResponseTo(int seq, Runnable action) {
        afterResponseToRequest.put(Integer.toString(seq), action);
    }

    /** The seq of the request whose handler runs on this thread now, or null. */
    Integer dispatchingRequest() {
        DebugRequestMessage request = dispatching.get();
        return request == null ? null : seqOf(request);
    }

    /** The command of the request whose handler runs on this thread now, or null. */
    String dispatchingCommand() {
        DebugRequestMessage request = dispatching.get();
        return request == null ? null : request.getMethod();
    }

    /** For LSP4J's {@code Launcher.Builder.wrapMessages} (it wraps both directions). */
    MessageConsumer wrap(MessageConsumer next) {
        return message -> {
            if (message instanceof DebugRequestMessage request) {
                // Incoming: the handler runs inside next.consume, on this thread.
                dispatching.set(request);
                try {
                    next.consume(message);
                } finally {
                    dispatching.remove();
                }
                return;
            }
            next.consume(message);
            if (message instanceof DebugResponseMessage response && response.getId() != null) {
                Runnable written = afterResponseToRequest.remove(response.getId());
                if (written != null) {
                    written.run();
                }
            }
            if (message instanceof DebugResponseMessage response) {
                Runnable action = response.getId() == null ? null : afterResponse.remove(response.getId());
                if (action == null && response.getMethod() != null) {
                    action = afterResponse.remove("command:" + response.getMethod());
                }
                if (action != null && response.getError() == null) {
                    action.run(); // a request that failed changes nothing (a refused disconnect keeps the session)
                }
            }
        };
    }

    private static Integer seqOf(DebugRequestMessage request) {
        String id = request.getId();
        try {
            return id == null ? null : Integer.valueOf(id);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
