package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static dev.quiesce.dap.testing.DapTestClient.isType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pause that races a breakpoint hit (found by the torture test on Lua): the thread stops once,
 * so the client hears of one stop. The pause is answered by the breakpoint's stop, as gdb's
 * non-stop mode does; a second "paused" event for the same stop would be a lie (the client
 * would think the thread stopped again after the next continue).
 */
class PauseRaceTest extends DapTestBase {
    private static final int ROUNDS = 200;

    @Test
    void aPauseRacingABreakpointHitGivesOneStop() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("bp_single", "100000000"));
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "hit_me"))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            int pausesAnsweredByTheBreakpoint = 0;
            for (int round = 0; round < ROUNDS; round++) {
                int before = stops(client, tid);
                // continue, and pause at once: the pause lands before, during or after the next hit.
                int cont = client.send("continue", Map.of("threadId", tid));
                int pause = client.send("pause", Map.of("threadId", tid));
                client.response(cont);
                assertTrue(client.response(pause).get("success").getAsBoolean());
                JsonObject stop = client.event("stopped", e -> body(e).get("threadId").getAsInt() == tid);
                // Every event queued with that stop precedes this response (one events thread).
                client.ok("threads", null);
                assertEquals(before + 1, stops(client, tid), "round " + round + ": one continue, one stop; "
                        + "stopped events after the continue: " + stopEvents(client, tid, before));
                if (!body(stop).get("reason").getAsString().equals("pause")) {
                    pausesAnsweredByTheBreakpoint++;
                }
            }
            // Both orders happen on any machine (the loop hits hit_me every few hundred cycles).
            assertTrue(pausesAnsweredByTheBreakpoint > 0, "no round had the breakpoint answer the pause");
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    private static int stops(DapTestClient client, int tid) {
        return (int) client.history().stream().filter(m -> isStop(m, tid)).count();
    }

    private static List<String> stopEvents(DapTestClient client, int tid, int skip) {
        return client.history().stream().filter(m -> isStop(m, tid)).skip(skip).map(JsonObject::toString).toList();
    }

    private static boolean isStop(JsonObject m, int tid) {
        return isType(m, "event") && m.get("event").getAsString().equals("stopped")
                && body(m).get("threadId").getAsInt() == tid;
    }
}
