package dev.quiesce.dap;

import dev.quiesce.engine.TracerException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseError;
import org.eclipse.lsp4j.jsonrpc.messages.ResponseErrorCode;

/**
 * Turns failures into DAP error responses ({@code success: false}) whose message a person can
 * act on. LSP4J sends a {@link ResponseErrorException}'s message as the response's message.
 * A failure nobody foresaw (a bug) is logged with its stack trace and answered in words, never
 * with Java's name for it; {@link ProtocolErrors} puts the command in front.
 */
public final class RequestErrors {
    private static final Logger LOG = Logger.getLogger(RequestErrors.class.getName());
    /** "java.lang.IllegalStateException: " and the like at the start of a message. */
    private static final Pattern CLASS_PREFIX = Pattern.compile("^([\\w$]+\\.)*[\\w$]*(Exception|Error|Throwable)(: ?|$)");
    /** Text that still reads as Java after the prefix is gone: a class, a method, a stack frame. */
    private static final Pattern JAVA_TEXT = Pattern.compile("java\\.|javax\\.|\\w+Exception|\\bat [\\w$.]+\\(");

    private RequestErrors() {
    }

    /** A request that cannot be carried out, with the reason. */
    public static ResponseErrorException error(String message) {
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InvalidRequest, message, null));
    }

    public static <T> CompletableFuture<T> failed(String message) {
        return CompletableFuture.failedFuture(error(message));
    }

    /** The message of a failure, unwrapped from the futures it went through, without Java's names. */
    public static String message(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ResponseErrorException || ownWords(cause)) {
            return cause.getMessage();
        }
        return failureText(cause);
    }

    /** Maps any failure of the layers below to an error response that keeps its message. */
    public static Throwable toResponseError(Throwable t) {
        Throwable cause = unwrap(t);
        if (cause instanceof ResponseErrorException) {
            return cause;
        }
        if (ownWords(cause)) {
            return error(cause.getMessage());
        }
        if (cause instanceof NumberFormatException) {
            String text = withoutJavaNames(cause.getMessage());
            return error("could not read a number" + (text.isEmpty() ? "" : " (" + text + ")"));
        }
        if (cause instanceof IllegalArgumentException && cause.getMessage() != null
                && !JAVA_TEXT.matcher(cause.getMessage()).find()) {
            return error(cause.getMessage()); // Quiesce's own refusals of a bad argument
        }
        LOG.log(Level.SEVERE, "a request failed unexpectedly", cause);
        return new ResponseErrorException(new ResponseError(ResponseErrorCode.InternalError, failureText(cause), null));
    }

    /**
     * Quiesce's own exceptions (TracerException, MemoryAccessException, ElfException,
     * ExpressionException, ...) are thrown with a message written for the user.
     */
    private static boolean ownWords(Throwable cause) {
        return (cause instanceof TracerException || cause.getClass().getName().startsWith("dev.quiesce."))
                && cause.getMessage() != null && !JAVA_TEXT.matcher(cause.getMessage()).find();
    }

    /** What went wrong, in words, for a failure nobody foresaw. */
    static String failureText(Throwable cause) {
        return failureWords(cause == null ? "an unknown failure" : describe(cause));
    }

    /** {@link #failureText(Throwable)} from the first line of a stack trace ("java.lang.X: text"). */
    static String failureText(String traceLine) {
        String name = traceLine.contains(":") ? traceLine.substring(0, traceLine.indexOf(':')) : traceLine.strip();
        String text = withoutJavaNames(traceLine);
        return failureWords(kind(name.substring(name.lastIndexOf('.') + 1)) + (text.isEmpty() ? "" : " (" + text + ")"));
    }

    private static String failureWords(String what) {
        return "Quiesce failed to complete the request: " + what
                + ". This is a bug in Quiesce; its log has the details";
    }

    private static String describe(Throwable cause) {
        String text = cause instanceof NullPointerException || cause.getMessage() == null
                ? "" : withoutJavaNames(cause.getMessage());
        return kind(cause.getClass().getSimpleName()) + (text.isEmpty() ? "" : " (" + text + ")");
    }

    /** A failure's kind, from its class's simple name, as a person would say it. */
    private static String kind(String simpleName) {
        return switch (simpleName) {
            case "NullPointerException" -> "a value it needed was missing";
            case "IndexOutOfBoundsException", "ArrayIndexOutOfBoundsException", "StringIndexOutOfBoundsException" ->
                    "an index was out of range";
            case "ArithmeticException" -> "an arithmetic error (such as a division by zero)";
            case "ClassCastException" -> "a value was of an unexpected kind";
            case "NumberFormatException" -> "a number could not be read";
            case "IllegalStateException" -> "it was in an unexpected state";
            case "UnsupportedOperationException" -> "an operation it does not support";
            case "NegativeArraySizeException", "IllegalArgumentException" -> "an impossible value";
            case "BufferUnderflowException", "BufferOverflowException" -> "data ended too early";
            case "StackOverflowError" -> "data nested too deeply";
            case "OutOfMemoryError" -> "it ran out of memory";
            case "TimeoutException" -> "it took too long";
            case "CancellationException" -> "it was cancelled";
            default -> "an unexpected failure";
        };
    }

    /**
     * A message with Java's vocabulary taken out: a leading exception class name goes, and text
     * that still names classes or methods (a helpful NullPointerException's, say) goes entirely.
     * Gson's pointers to its troubleshooting page go too.
     */
    static String withoutJavaNames(String message) {
        if (message == null) {
            return "";
        }
        String text = message.lines().findFirst().orElse("").strip();
        for (String before = null; !text.equals(before); ) {
            before = text;
            text = CLASS_PREFIX.matcher(text).replaceFirst("").strip();
        }
        return JAVA_TEXT.matcher(text).find() ? "" : text;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
