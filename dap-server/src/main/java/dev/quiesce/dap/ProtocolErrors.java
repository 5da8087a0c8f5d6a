package dev.quiesce.dap;

import com.google.gson.JsonObject;
import java.util.Map;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Rewrites the error responses LSP4J produces on its own (a request it cannot parse, a command
 * nobody implements, a handler that threw) into messages a person can act on, fills in the
 * {@code command} that DAP requires on every response when the request was too broken for LSP4J
 * to know it, and gives every error response the {@code body} DAP requires ({@link ErrorBodies}).
 */
final class ProtocolErrors {
    private static final String UNSUPPORTED_PREFIX = "Unsupported request method: ";
    private static final String UNPARSABLE = "Message could not be parsed.";

    private ProtocolErrors() {
    }

    /**
     * @param console where to tell the user about a request that cannot be answered: one without
     *                a valid {@code seq} has no {@code request_seq} a response could carry (DAP: >= 1)
     */
    static MessageConsumer wrap(MessageConsumer next, java.util.function.Consumer<String> console) {
        return message -> {
            if (message instanceof DebugResponseMessage response) {
                if (response.getError() != null) {
                    polish(response);
                    response.getError().setData(ErrorBodies.of(response.getMethod(), response.getError()));
                }
                if (!validSeq(response)) {
                    console.accept("Quiesce: ignored a request without a valid \"seq\" (command "
                            + response.getMethod() + ")" + (response.getError() != null
                            ? ": " + response.getError().getMessage() : "") + "\n");
                    return;
                }
            }
            next.consume(message);
        };
    }

    /** A request_seq DAP allows: an integer from 1 to 2^31-1 (the schema's int32, minimum 1). */
    private static boolean validSeq(DebugResponseMessage response) {
        var id = response.getRawId(); // LSP4J's "id" of a DAP response is its request_seq
        if (id == null) {
            return false;
        }
        double value;
        if (id.isRight()) {
            value = id.getRight().doubleValue();
        } else {
            try {
                value = Long.parseLong(id.getLeft().strip());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return value == Math.rint(value) && value >= 1 && value <= Integer.MAX_VALUE;
    }

    private static void polish(DebugResponseMessage response) {
        ResponseError error = response.getError();
        String text = error.getMessage() == null ? "" : error.getMessage();
        if (text.startsWith(UNSUPPORTED_PREFIX)) {
            error.setMessage("unknown request '" + text.substring(UNSUPPORTED_PREFIX.length())
                    + "': Quiesce does not implement it (see the capabilities from 'initialize')");
            error.setData(null);
        } else if (text.equals(UNPARSABLE)) {
            String detail = detail(error.getData());
            error.setMessage("could not parse the request" + (detail.isEmpty() ? "" : ": " + detail));
            error.setData(null);
        }
        if (error.getData() instanceof String trace && trace.contains("\n\tat ")) {
            // A handler threw on LSP4J's thread: LSP4J logged it and put the stack trace in the
            // body. Say which request failed instead, in words (RequestErrors.failure).
            error.setMessage(RequestErrors.failureText(trace.lines().findFirst().orElse("")));
            error.setCode(ResponseErrorCode.InternalError);
        }
        if (response.getMethod() == null) {
            response.setMethod("unknown");
        }
        if (error.getCode() == ResponseErrorCode.InternalError.getValue()
                && !error.getMessage().startsWith(response.getMethod() + ": ")) {
            error.setMessage(response.getMethod() + ": " + error.getMessage());
        }
    }

    /** The parser's own explanation, without Java's names for it. */
    private static String detail(Object data) {
        String detail = "";
        if (data instanceof Throwable t) {
            detail = t.getMessage() == null ? "" : t.getMessage();
        } else if (data instanceof JsonObject json && json.get("message") != null && json.get("message").isJsonPrimitive()) {
            detail = json.get("message").getAsString();
        } else if (data instanceof Map<?, ?> map && map.get("message") != null) {
            detail = String.valueOf(map.get("message"));
        } else if (data instanceof String s) {
            detail = s;
        }
        return RequestErrors.withoutJavaNames(detail);
    }
}
