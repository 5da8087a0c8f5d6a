package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Frame ids and variablesReferences belong to the stop of one thread: in non-stop, continuing
 * one stopped thread releases its references and leaves another stopped thread's answering
 * (the workers program: worker-0 passes checkpoint(round), worker-1 counts in worker()).
 */
class NonStopReferencesTest extends DapTestBase {
    private static final int CHECKPOINT_LINE = 14;

    private static Map<String, Object> breakpoints(int... lines) {
        String path = TestServer.program("workers").getParent().resolve("../../src/workers.c").normalize().toString();
        List<Map<String, Object>> list = java.util.Arrays.stream(lines).mapToObj(l -> Map.<String, Object>of("line", l)).toList();
        return Map.of("source", Map.of("path", path), "breakpoints", list);
    }

    private static int threadNamed(DapTestClient client, String name) {
        for (JsonElement t : body(client.ok("threads", Map.of())).getAsJsonArray("threads")) {
            if (DapTestClient.threadName(t.getAsJsonObject()).equals(name)) {
                return t.getAsJsonObject().get("id").getAsInt();
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    private static int frameNamed(DapTestClient client, int tid, String function) {
        JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
        for (JsonElement f : frames) {
            if (f.getAsJsonObject().get("name").getAsString().equals(function)) {
                return f.getAsJsonObject().get("id").getAsInt();
            }
        }
        throw new AssertionError("no frame " + function + " in thread " + tid + ": " + frames);
    }

    private static int scope(DapTestClient client, int frameId, String name) {
        for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes")) {
            if (s.getAsJsonObject().get("name").getAsString().equals(name)) {
                return s.getAsJsonObject().get("variablesReference").getAsInt();
            }
        }
        throw new AssertionError("no scope " + name + " in frame " + frameId);
    }

    private static JsonObject variable(DapTestClient client, int reference, String name) {
        JsonArray vars = body(client.ok("variables", Map.of("variablesReference", reference))).getAsJsonArray("variables");
        for (JsonElement v : vars) {
            if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
                return v.getAsJsonObject();
            }
        }
        throw new AssertionError("no variable " + name + " in " + vars);
    }

    private static long global(DapTestClient client, String expression) {
        return Long.parseLong(body(client.ok("evaluate", Map.of("expression", expression, "context", "watch")))
                .get("result").getAsString());
    }

    @Test
    void continuingOneStoppedThreadLeavesAnotherStoppedThreadsReferencesAnswering() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("workers"));
            client.event("process");
            client.ok("setBreakpoints", breakpoints(CHECKPOINT_LINE));
            client.ok("configurationDone", Map.of());
            JsonObject hit = body(client.event("stopped"));
            assertFalse(hit.get("allThreadsStopped").getAsBoolean(), "non-stop");
            int a = hit.get("threadId").getAsInt();
            assertEquals(a, threadNamed(client, "worker-0"));
            client.ok("setBreakpoints", breakpoints());
            int b = threadNamed(client, "worker-1");
            client.ok("pause", Map.of("threadId", b));
            client.event("stopped", e -> body(e).get("threadId").getAsInt() == b);

            // Two threads stopped, each with references: A's argument scope, B's locals, B's name[] elements.
            int aArguments = scope(client, frameNamed(client, a, "checkpoint"), "Arguments");
            long round = Long.parseLong(variable(client, aArguments, "round").get("value").getAsString());
            int bFrame = frameNamed(client, b, "worker");
            int bLocals = scope(client, bFrame, "Locals");
            assertEquals("1", variable(client, bLocals, "index").get("value").getAsString());
            int bName = variable(client, bLocals, "name").get("variablesReference").getAsInt();
            assertTrue(bName > 0, "name[16] has elements to expand");
            assertTrue(variable(client, bName, "[0]").get("value").getAsString().contains("'w'"));

            client.ok("continue", Map.of("threadId", a));
            awaitCondition("worker-0 to pass more checkpoints", () -> global(client, "counters[0]") > round + 2);

            // A ran: its references are released, and say so.
            JsonObject stale = client.request("variables", Map.of("variablesReference", aArguments));
            assertFalse(stale.get("success").getAsBoolean());
            assertTrue(stale.get("message").getAsString().contains("thread " + a + " has resumed"), stale.toString());
            // B did not: its scope, its child container and its frame id still answer.
            assertEquals("1", variable(client, bLocals, "index").get("value").getAsString());
            assertTrue(variable(client, bName, "[0]").get("value").getAsString().contains("'w'"));
            assertTrue(variable(client, scope(client, bFrame, "Locals"), "round").get("value").getAsString().matches("\\d+"));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
