package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launch;
import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request that cannot finish answers in time with what took too long, and the session keeps
 * serving the others meanwhile (issue 13, "a deadline per request"). The slow request is a
 * {@code variables} whose memory reads never finish ({@link RequestDeadline#STALL_READS_PROPERTY},
 * as a formatter looping over the target's memory would): before value work moved off the
 * tracer's and the reader's threads, such a request froze every later one.
 */
class RequestDeadlineTest extends DapTestBase {
    private static final long DEADLINE_MILLIS = 3_000;

    @AfterEach
    void clearHooks() {
        System.clearProperty(RequestDeadline.STALL_READS_PROPERTY);
        System.clearProperty(RequestDeadlines.DEADLINE_PROPERTY);
    }

    private static Map<String, Integer> threadsByName(DapTestClient client) {
        Map<String, Integer> byName = new HashMap<>();
        for (JsonElement t : body(client.ok("threads", null)).getAsJsonArray("threads")) {
            byName.put(DapTestClient.threadName(t.getAsJsonObject()), t.getAsJsonObject().get("id").getAsInt());
        }
        return byName;
    }

    /** The Locals scope's reference of the frame of {@code function} in the stopped thread's stack. */
    private static int localsOf(DapTestClient client, int tid, String function) {
        int frameId = -1;
        for (JsonElement f : body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")) {
            if (f.getAsJsonObject().get("name").getAsString().equals(function)) {
                frameId = f.getAsJsonObject().get("id").getAsInt();
                break;
            }
        }
        assertTrue(frameId > 0, function + " is on the stack of thread " + tid);
        for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes")) {
            if (s.getAsJsonObject().get("name").getAsString().equals("Locals")) {
                return s.getAsJsonObject().get("variablesReference").getAsInt();
            }
        }
        throw new AssertionError("no Locals scope in frame " + frameId);
    }

    private static boolean responded(DapTestClient client, int seq) {
        return client.history().stream().anyMatch(m -> DapTestClient.isType(m, "response") && m.get("request_seq").getAsInt() == seq);
    }

    private static boolean threadRunning(String nameEnd) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().endsWith(nameEnd));
    }

    @Test
    void stuckVariablesAnswersWithWhatTookTooLongWhileThreadsPauseAndContinueOfAnotherThreadAnswer(@TempDir Path tmp) throws Exception {
        Path stop = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("threads", "2", stop.toString()));
            client.event("output", e -> body(e).get("output").getAsString().contains("started 2 threads"));
            Map<String, Integer> threads = threadsByName(client);
            int stuckThread = threads.get("worker-1");
            int otherThread = threads.get("worker-2");
            // main names the threads right after creating them: worker-1 may not have reached
            // worker() yet (a CI run paused it in start_thread). It has once it counts.
            awaitCondition("worker-1 to count", () -> Long.parseLong(body(client.ok("evaluate",
                    Map.of("expression", "counters[0]", "context", "watch"))).get("result").getAsString()) > 0);
            client.ok("pause", Map.of("threadId", stuckThread));
            client.event("stopped", e -> body(e).get("threadId").getAsInt() == stuckThread);
            int locals = localsOf(client, stuckThread, "worker");

            System.setProperty(RequestDeadlines.DEADLINE_PROPERTY, Long.toString(DEADLINE_MILLIS));
            System.setProperty(RequestDeadline.STALL_READS_PROPERTY, "variables");
            long sent = System.nanoTime();
            int stuck = client.send("variables", Map.of("variablesReference", locals));

            long t0 = System.nanoTime();
            assertEquals(3, body(client.ok("threads", null)).getAsJsonArray("threads").size());
            long threadsMillis = millisSince(t0);
            t0 = System.nanoTime();
            client.ok("pause", Map.of("threadId", otherThread));
            client.event("stopped", e -> body(e).get("threadId").getAsInt() == otherThread);
            long pauseMillis = millisSince(t0);
            t0 = System.nanoTime();
            client.ok("continue", Map.of("threadId", otherThread));
            long continueMillis = millisSince(t0);
            assertFalse(responded(client, stuck), "threads, pause and continue answered while the variables request was still stuck");
            System.out.printf("during a stuck variables: threads %d ms, pause to stopped %d ms, continue %d ms%n",
                    threadsMillis, pauseMillis, continueMillis);

            JsonObject timedOut = client.response(stuck);
            long answeredMillis = millisSince(sent);
            System.out.printf("the stuck variables answered after %d ms: %s%n", answeredMillis, timedOut.get("message"));
            assertFalse(timedOut.get("success").getAsBoolean(), timedOut.toString());
            String message = timedOut.get("message").getAsString();
            assertTrue(message.matches("variables: (reading|formatting) '\\w+' did not finish within 3 s"), message);
            assertTrue(answeredMillis >= DEADLINE_MILLIS - 50 && answeredMillis < DEADLINE_MILLIS + 5_000,
                    "answered at the deadline, not " + answeredMillis + " ms after it was sent");
            // Its work stopped too: the worker thread no longer runs it (it is named after the request while it does).
            awaitCondition("the stuck request's work ends", () -> !threadRunning(" variables#" + stuck));

            // Afterwards the session works normally, the same reference included.
            System.clearProperty(RequestDeadline.STALL_READS_PROPERTY);
            JsonObject vars = body(client.ok("variables", Map.of("variablesReference", locals)));
            assertTrue(vars.getAsJsonArray("variables").toString().contains("\"name\":\"index\",\"value\":\"0\""), vars.toString());
            client.ok("continue", Map.of("threadId", stuckThread));
            Files.createFile(stop);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aRequestThatIsCancelledStopsItsWork(@TempDir Path tmp) throws Exception {
        Path stop = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("threads", "1", stop.toString()));
            client.event("output", e -> body(e).get("output").getAsString().contains("started 1 threads"));
            int worker = threadsByName(client).get("worker-1");
            awaitCondition("worker-1 to count", () -> Long.parseLong(body(client.ok("evaluate",
                    Map.of("expression", "counters[0]", "context", "watch"))).get("result").getAsString()) > 0);
            client.ok("pause", Map.of("threadId", worker));
            client.event("stopped", e -> body(e).get("threadId").getAsInt() == worker);
            int frameId = -1;
            for (JsonElement f : body(client.ok("stackTrace", Map.of("threadId", worker))).getAsJsonArray("stackFrames")) {
                if (f.getAsJsonObject().get("name").getAsString().equals("worker")) {
                    frameId = f.getAsJsonObject().get("id").getAsInt();
                }
            }
            assertTrue(frameId > 0, "worker is on the stack of worker-1");
            System.setProperty(RequestDeadlines.DEADLINE_PROPERTY, "600000");
            System.setProperty(RequestDeadline.STALL_READS_PROPERTY, "evaluate");
            int stuck = client.send("evaluate", Map.of("expression", "index", "frameId", frameId, "context", "watch"));
            awaitCondition("the evaluate's work runs", () -> threadRunning(" evaluate#" + stuck));
            client.ok("cancel", Map.of("requestId", stuck));
            assertEquals(CancelRequests.CANCELLED, client.response(stuck).get("message").getAsString());
            awaitCondition("the cancelled evaluate's work ends", () -> !threadRunning(" evaluate#" + stuck));
            System.clearProperty(RequestDeadline.STALL_READS_PROPERTY);
            assertEquals("0", body(client.ok("evaluate", Map.of("expression", "index", "frameId", frameId, "context", "watch")))
                    .get("result").getAsString());
            client.ok("continue", Map.of("threadId", worker));
            Files.createFile(stop);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
