package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The deadline rules themselves, without a program: which requests are bound, the words of a timeout. */
class RequestDeadlinesTest {
    @Test
    void requestsWithBoundsOfTheirOwnGetNoDeadlineAndTheOthersTheDefault() {
        try (RequestDeadlines deadlines = new RequestDeadlines("t")) {
            assertFalse(deadlines.start("launch", 1).bounded());
            assertFalse(deadlines.start("attach", 2).bounded(), "attach with waitFor waits for the user's program");
            assertFalse(deadlines.start("setBreakpoints", 3).bounded());
            assertFalse(deadlines.start(null, null).bounded(), "not a client's request");
            RequestDeadline threads = deadlines.start("threads", 4);
            assertTrue(threads.bounded());
            assertEquals(RequestDeadlines.DEFAULT_DEADLINE_MILLIS, threads.limitMillis());
        }
    }

    @Test
    void aTimeoutSaysWhatTookTooLong() {
        RequestDeadline d = new RequestDeadline("variables", 7, 5_000);
        assertEquals("variables did not finish within 5 s", d.timeoutMessage());
        d.doing("formatting 'err'");
        assertEquals("variables: formatting 'err' did not finish within 5 s", d.timeoutMessage());
        assertEquals("1.5 s", RequestDeadlines.describe(1_500));
        assertEquals("200 ms", RequestDeadlines.describe(200));
    }

    @Test
    void workThatChecksAStoppedDeadlineEnds() {
        RequestDeadline d = new RequestDeadline("evaluate", 8, 60_000);
        d.check(); // in time: nothing
        d.stop();
        assertThrows(RequestDeadline.Abandoned.class, d::check);
    }

    @Test
    void anAnswerThatMissesItsDeadlineFailsWithTheMessage() throws Exception {
        try (RequestDeadlines deadlines = new RequestDeadlines("t")) {
            RequestDeadline d = new RequestDeadline("stackTrace", 9, 100);
            CompletableFuture<Object> answer = new CompletableFuture<>();
            deadlines.enforce(d, answer, Runnable::run);
            Exception failure = assertThrows(Exception.class, () -> answer.get(30, TimeUnit.SECONDS));
            assertEquals("stackTrace did not finish within 100 ms", RequestErrors.message(failure));
            assertThrows(RequestDeadline.Abandoned.class, d::check, "and its work is told to stop");
        }
    }
}
