package dev.quiesce.dap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Endpoint;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethodProvider;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Routes each request of one session to the handler registered for its command, after checking
 * the command's {@link Precondition}s. It is LSP4J's local endpoint (instead of an object whose
 * annotated methods LSP4J finds by reflection): requests arrive one at a time on LSP4J's reader
 * thread, and the handler is called on that thread ({@link Responses} relies on it).
 *
 * <p>A DAP request no handler registered answers "not supported by Quiesce yet"; a command DAP
 * does not have answers "unknown request" ({@link ProtocolErrors} words it).
 */
final class Dispatcher implements Endpoint, JsonRpcMethodProvider {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    /** Every DAP request with its argument type, as LSP4J declares them (the parser checks arguments against these). */
    private static final Map<String, JsonRpcMethod> DAP = DapMethods.SERVER;

    /** A command's work: called with its arguments once its preconditions hold; answers through {@link Session#respond}. */
    @FunctionalInterface
    interface Handler<A> {
        CompletableFuture<?> handle(A arguments);
    }

    private final Session session;
    private final List<RequestHandler> handlers = new ArrayList<>();
    private final Map<String, Command<?>> commands = new LinkedHashMap<>();

    Dispatcher(Session session) {
        this.session = session;
    }

    /** Adds a request family: its commands are registered now, its capabilities go into initialize's answer. */
    Dispatcher add(RequestHandler handler) {
        handlers.add(handler);
        handler.register(this);
        return this;
    }

    /**
     * Registers {@code command}. {@code arguments} is its argument type for a command DAP does not
     * define (custom requests); for a DAP command LSP4J's declaration of it is used.
     */
    <A> Command<A> on(String command, Class<A> arguments, Handler<A> handler) {
        if (commands.containsKey(command)) {
            throw new IllegalStateException("two handlers for '" + command + "'");
        }
        Command<A> c = new Command<>(command, arguments, handler);
        commands.put(command, c);
        return c;
    }

    /** Whether a handler answers {@code command}. */
    boolean handles(String command) {
        return commands.containsKey(command);
    }

    /** The capabilities of every registered handler. */
    Capabilities capabilities() {
        Capabilities c = new Capabilities();
        handlers.forEach(h -> h.capabilities(c));
        return c;
    }

    @Override
    public Map<String, JsonRpcMethod> supportedMethods() {
        Map<String, JsonRpcMethod> methods = new LinkedHashMap<>(DAP);
        for (Command<?> c : commands.values()) {
            if (!DAP.containsKey(c.name)) {
                methods.put(c.name, JsonRpcMethod.request(c.name, Object.class, c.arguments));
            }
        }
        return methods;
    }

    @Override
    public CompletableFuture<?> request(String method, Object parameter) {
        Command<?> command = commands.get(method);
        if (command != null) {
            return command.dispatch(parameter);
        }
        if (DAP.containsKey(method)) {
            return RequestErrors.failed("'" + method + "' is not supported by Quiesce yet");
        }
        // ProtocolErrors turns LSP4J's own wording for this into one a person can act on.
        return CompletableFuture.failedFuture(new ResponseErrorException(new ResponseError(
                ResponseErrorCode.MethodNotFound, "Unsupported request method: " + method, null)));
    }

    @Override
    public void notify(String method, Object parameter) {
        LOG.fine(() -> "ignored a notification '" + method + "' (DAP has none from clients)");
    }

    /** One registered command: its preconditions and its handler. */
    final class Command<A> {
        private final String name;
        private final Class<A> arguments;
        private final Handler<A> handler;
        private final List<Precondition<? super A>> needs = new ArrayList<>();
        private String what;

        private Command(String name, Class<A> arguments, Handler<A> handler) {
            this.name = name;
            this.arguments = arguments;
            this.handler = handler;
        }

        /** Checked in order before the handler runs; the first refusal is the answer. */
        @SafeVarargs
        final Command<A> needs(Precondition<? super A>... preconditions) {
            needs.addAll(List.of(preconditions));
            return this;
        }

        /**
         * Bad arguments the handler throws on (IllegalArgumentException, a missing field) are
         * refused as "{@code what}: the reason" instead of as a failure of Quiesce.
         */
        Command<A> refusesBadArguments(String what) {
            this.what = what;
            return this;
        }

        private CompletableFuture<?> dispatch(Object parameter) {
            dev.quiesce.trace.RequestTrace.begin(name);
            A args = arguments.isInstance(parameter) ? arguments.cast(parameter) : null;
            for (Precondition<? super A> p : needs) {
                String refusal = p.refusal(session, args);
                if (refusal != null) {
                    return session.respond(Session.failure(refusal));
                }
            }
            try {
                CompletableFuture<?> f = handler.handle(args);
                dev.quiesce.trace.RequestTrace.mark("dispatched");
                return f;
            } catch (IllegalArgumentException | NullPointerException e) {
                if (what == null) {
                    throw e;
                }
                return session.respond(Session.failure(what + ": "
                        + (e instanceof NullPointerException || e.getMessage() == null ? "missing arguments" : e.getMessage())));
            }
        }
    }
}
