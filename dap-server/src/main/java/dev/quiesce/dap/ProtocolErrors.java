package dev.quiesce.dap;

import com.google.gson.JsonObject;
import java.util.Map;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.debug.messages.DebugResponseMessage;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;

/**
 * Rewrites the error responses LSP4J produces on its own (a request it cannot parse, a command
 * nobody implements) into messages a person can act on, and fills in the {@code command} that
 * DAP requires on every response when the request was too broken for LSP4J to know it.
 */
final class ProtocolErrors {
    private static final String UNSUPPORTED_PREFIX = "Unsupported request method: ";
    private static final String UNPARSABLE = "Message could not be parsed.";

    private ProtocolErrors() {
    }

    static MessageConsumer wrap(MessageConsumer next) {
        return message -> {
            if (message instanceof DebugResponseMessage response && response.getError() != null) {
                polish(response);
            }
            next.consume(message);
        };
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
        if (response.getMethod() == null) {
            response.setMethod("unknown");
        }
    }

    /** The parser's own explanation, without the Java exception class name. */
    private static String detail(Object data) {
        String detail = "";
        if (data instanceof JsonObject json && json.get("message") != null && json.get("message").isJsonPrimitive()) {
            detail = json.get("message").getAsString();
        } else if (data instanceof Map<?, ?> map && map.get("message") != null) {
            detail = String.valueOf(map.get("message"));
        } else if (data instanceof String s) {
            detail = s;
        }
        return detail.replaceFirst("^[\\w.]+(Exception|Error): ", "");
    }
}
