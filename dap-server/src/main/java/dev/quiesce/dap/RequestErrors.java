package dev.quiesce.dap;

import dev.quiesce.engine.TracerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Turns failures into DAP error responses ({@code success: false}) whose message a person can
 * act on. LSP4J sends a {@link ResponseErrorException}'s message as the response's message.
 */
public final class RequestErrors {
    private RequestErrors() {
    }

    /** A request that cannot be carried out, with the reason. */
    public static ResponseErrorException error(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidRequest, message, null));
    }

    public static <T> CompletableFuture<T> failed(String message) {
        return CompletableFuture.failedFuture(error(message));
    }

    /** The message of a failure, unwrapped from the futures it went through. */
    public static String message(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.toString() : cause.getMessage();
    }

    /** Maps any failure of the layers below to an error response that keeps its message. */
    public static Throwable toResponseError(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ResponseErrorException) {
            return cause;
        }
        if (cause instanceof TracerException || cause instanceof IllegalArgumentException
                || cause instanceof dev.quiesce.linux.ProcessMemory.MemoryAccessException) {
            return error(cause.getMessage());
        }
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InternalError,
                "internal error: " + cause, null));
    }
}
