package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletionException;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;
import org.junit.jupiter.api.Test;

/** Failures nobody foresaw reach the user in words, never as Java's exception text. */
class RequestErrorsTest {
    private static String answered(Throwable failure) {
        return ((ResponseErrorException) RequestErrors.toResponseError(new CompletionException(failure)))
                .getResponseError().getMessage();
    }

    @Test
    void anIndexOutOfBoundsIsDescribedNotNamed() {
        String message = answered(new IndexOutOfBoundsException("Index 0 out of bounds for length 0"));
        assertEquals("Quiesce failed to complete the request: an index was out of range (Index 0 out of bounds "
                + "for length 0). This is a bug in Quiesce; its log has the details", message);
    }

    @Test
    void noJavaNamesSurviveWhateverTheFailureSays() {
        for (Throwable t : List.of(new NullPointerException("Cannot invoke \"String.length()\" because \"s\" is null"),
                new ClassCastException("class java.lang.String cannot be cast to class java.lang.Integer"),
                new IllegalStateException("java.io.IOException: broken pipe"),
                new IllegalArgumentException("bad: java.lang.Object@1234"),
                new RuntimeException(new IllegalStateException("x")),
                new StackOverflowError(),
                new NumberFormatException("For input string: \"zz\""))) {
            String message = answered(t);
            assertFalse(message.contains("java.") || message.contains("Exception") || message.contains("Error")
                    || message.contains("String.length"), t + " -> " + message);
        }
    }

    @Test
    void quiesceOwnRefusalsKeepTheirWords() {
        assertEquals("thread 7 is running", answered(RequestErrors.error("thread 7 is running")));
        assertEquals("writeMemory data must be base64", answered(new IllegalArgumentException("writeMemory data must be base64")));
    }

    @Test
    void javaPrefixesAreTakenOffParserMessages() {
        assertEquals("Unterminated object at line 1 column 9 path $.x", RequestErrors.withoutJavaNames(
                "com.google.gson.stream.MalformedJsonException: Unterminated object at line 1 column 9 path $.x\n"
                        + "See https://github.com/google/gson/blob/main/Troubleshooting.md#malformed-json"));
        assertTrue(RequestErrors.withoutJavaNames("java.lang.IllegalStateException").isEmpty());
    }
}
