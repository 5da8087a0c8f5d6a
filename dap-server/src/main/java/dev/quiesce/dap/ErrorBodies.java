package dev.quiesce.dap;

import com.google.gson.JsonObject;
import java.util.Set;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * The {@code body} DAP requires of an error response: {@code {"error": Message}}, whose
 * {@code format} is the response's {@code message}, with an id per kind of failure (stable, for
 * documentation and for clients that key on it):
 * <ol>
 * <li>the request could not be parsed</li>
 * <li>the request cannot be carried out (the usual refusal: no program, a running thread)</li>
 * <li>Quiesce does not implement the command</li>
 * <li>an argument is missing or has the wrong type</li>
 * <li>Quiesce failed while handling it (a bug; the details are in the server's log)</li>
 * <li>the request was cancelled</li>
 * </ol>
 */
final class ErrorBodies {
    /** Requests whose failure the user must see at once: the session did not start. */
    private static final Set<String> SHOWN = Set.of("launch", "attach", "restart");

    private ErrorBodies() {
    }

    static JsonObject of(String command, ResponseError error) {
        JsonObject message = new JsonObject();
        message.addProperty("id", id(error.getCode()));
        message.addProperty("format", error.getMessage() == null ? "" : error.getMessage());
        message.addProperty("showUser", SHOWN.contains(command));
        JsonObject body = new JsonObject();
        body.add("error", message);
        return body;
    }

    static int id(int code) {
        if (code == ResponseErrorCode.ParseError.getValue()) {
            return 1;
        }
        if (code == ResponseErrorCode.MethodNotFound.getValue()) {
            return 3;
        }
        if (code == ResponseErrorCode.InvalidParams.getValue()) {
            return 4;
        }
        if (code == ResponseErrorCode.InternalError.getValue()) {
            return 5;
        }
        if (code == ResponseErrorCode.RequestCancelled.getValue()) {
            return 6;
        }
        return 2;
    }
}
