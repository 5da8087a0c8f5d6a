package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** invalidated and memory events (only to clients that declared them), and the cancel request. */
class InvalidatedAndCancelTest extends DapTestBase {

    /** The argument n of factorial, at the function breakpoint: its scope reference and the variable. */
    private static JsonObject argumentN(DapTestClient client, int tid, int[] scopeReference) {
        JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid, "levels", 1))).getAsJsonArray("stackFrames");
        int frameId = frames.get(0).getAsJsonObject().get("id").getAsInt();
        JsonArray scopes = body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes");
        scopeReference[0] = scopes.get(0).getAsJsonObject().get("variablesReference").getAsInt();
        JsonArray args = body(client.ok("variables", Map.of("variablesReference", scopeReference[0]))).getAsJsonArray("variables");
        for (var v : args) {
            if (v.getAsJsonObject().get("name").getAsString().equals("n")) {
                return v.getAsJsonObject();
            }
        }
        throw new AssertionError("no argument n in " + args);
    }

    private static long count(DapTestClient client, String event) {
        return client.history().stream().filter(m -> DapTestClient.isType(m, "event") && m.get("event").getAsString().equals(event)).count();
    }

    @Test
    void setVariableAndWriteMemoryInvalidateWhatTheClientShows() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = SourcesTest.stopInFactorial(client, Map.of("supportsInvalidatedEvent", true, "supportsMemoryEvent", true));
            int[] scope = new int[1];
            JsonObject n = argumentN(client, tid, scope);
            assertEquals("3", n.get("value").getAsString());
            client.ok("setVariable", Map.of("variablesReference", scope[0], "name", "n", "value", "4"));
            JsonObject invalidated = client.event("invalidated");
            assertEquals("[\"variables\"]", body(invalidated).getAsJsonArray("areas").toString());

            String address = n.get("memoryReference").getAsString();
            String five = Base64.getEncoder().encodeToString(new byte[] {5, 0, 0, 0});
            client.ok("writeMemory", Map.of("memoryReference", address, "data", five));
            assertEquals("[\"all\"]", body(client.event("invalidated")).getAsJsonArray("areas").toString());
            JsonObject memory = body(client.event("memory"));
            assertEquals(MemoryRequests.address(address, null), MemoryRequests.address(memory.get("memoryReference").getAsString(), null));
            assertEquals(0, memory.get("offset").getAsInt());
            assertEquals(4, memory.get("count").getAsInt());
            assertEquals("5", argumentN(client, tid, scope).get("value").getAsString());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void aClientThatDidNotAskGetsNoInvalidatedOrMemoryEvents() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = SourcesTest.stopInFactorial(client, Map.of());
            int[] scope = new int[1];
            JsonObject n = argumentN(client, tid, scope);
            client.ok("setVariable", Map.of("variablesReference", scope[0], "name", "n", "value", "4"));
            client.ok("writeMemory", Map.of("memoryReference", n.get("memoryReference").getAsString(),
                    "data", Base64.getEncoder().encodeToString(new byte[] {5, 0, 0, 0})));
            client.ok("threads", null); // events go out before the responses that caused them
            assertEquals(0, count(client, "invalidated"), client.history().toString());
            assertEquals(0, count(client, "memory"), client.history().toString());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void cancelAnswersPendingRequestsAsCancelledAndAcceptsUnknownIds() throws Exception {
        try (DapTestClient client = server.connect()) {
            SourcesTest.stopInFactorial(client, Map.of());
            // An id never sent, and one already answered: nothing to cancel, and that is fine.
            client.ok("cancel", Map.of("requestId", 999999));
            int answered = client.send("threads", null);
            client.response(answered);
            client.ok("cancel", Map.of("requestId", answered));
            client.ok("cancel", Map.of());

            // Requests queued behind each other (loadedSources of sym_c and libc, one at a time):
            // cancelling the later ones before they finish answers them "cancelled".
            List<Integer> queued = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                queued.add(client.send("loadedSources", Map.of()));
            }
            List<Integer> cancels = new ArrayList<>();
            for (int i = queued.size() - 1; i >= 10; i--) {
                cancels.add(client.send("cancel", Map.of("requestId", queued.get(i))));
            }
            int cancelled = 0;
            for (int seq : queued) {
                JsonObject r = client.response(seq);
                if (!r.get("success").getAsBoolean()) {
                    assertEquals("cancelled", r.get("message").getAsString(), r.toString());
                    cancelled++;
                } else {
                    assertTrue(body(r).getAsJsonArray("sources").size() > 0);
                }
            }
            for (int seq : cancels) {
                assertTrue(client.response(seq).get("success").getAsBoolean(), "cancel itself always succeeds");
            }
            assertTrue(cancelled > 0, "at least one queued request was still pending when its cancel came");
            // The session goes on working.
            assertFalse(body(client.ok("loadedSources", Map.of())).getAsJsonArray("sources").isEmpty());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
