package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Non-stop and all-stop with breakpoints, pauses, evaluate and steps on the workers program
 * (worker-0 passes checkpoint() every 10 ms; workers 1-3 count fast), plus steps over a
 * signal handler, into C++ and into a library loaded later.
 */
class ThreadModesTest extends DapTestBase {
    private static final int CHECKPOINT_LINE = 14;

    private static String source(String name) {
        return TestServer.program("workers").getParent().resolve("../../src/" + name).normalize().toString();
    }

    private static void start(DapTestClient client, Map<String, Object> launch, Runnable configure) {
        client.initialize();
        client.ok("launch", launch);
        client.event("process");
        configure.run();
        client.ok("configurationDone", Map.of());
    }

    private static Map<String, Object> breakpointsAt(String file, int... lines) {
        List<Map<String, Object>> list = new java.util.ArrayList<>();
        for (int line : lines) {
            list.add(Map.of("line", line));
        }
        return Map.of("source", Map.of("path", source(file)), "breakpoints", list);
    }

    /** The value of a global, read while threads may run (no frame). */
    private static long global(DapTestClient client, String expression) {
        return Long.parseLong(body(client.ok("evaluate", Map.of("expression", expression, "context", "watch")))
                .get("result").getAsString());
    }

    private static int threadNamed(DapTestClient client, String name) {
        for (var t : body(client.ok("threads", Map.of())).getAsJsonArray("threads")) {
            if (DapTestClient.threadName(t.getAsJsonObject()).equals(name)) {
                return t.getAsJsonObject().get("id").getAsInt();
            }
        }
        throw new AssertionError("no thread named " + name);
    }

    private static String where(DapTestClient client, int tid) {
        JsonObject f = body(client.ok("stackTrace", Map.of("threadId", tid, "levels", 1))).getAsJsonArray("stackFrames")
                .get(0).getAsJsonObject();
        return f.get("name").getAsString() + ":" + f.get("line").getAsInt();
    }

    @Test
    void nonStopOneThreadAtABreakpointOnePausedTwoRunningThenOnlyTheFirstContinues() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("workers"), () -> client.ok("setBreakpoints", breakpointsAt("workers.c", CHECKPOINT_LINE)));
            JsonObject hit = body(client.event("stopped"));
            assertEquals("breakpoint", hit.get("reason").getAsString());
            assertFalse(hit.get("allThreadsStopped").getAsBoolean());
            int a = hit.get("threadId").getAsInt();
            assertEquals(a, threadNamed(client, "worker-0"));
            client.ok("setBreakpoints", breakpointsAt("workers.c")); // removed while the others run
            int b = threadNamed(client, "worker-1");
            client.ok("pause", Map.of("threadId", b));
            JsonObject paused = body(client.event("stopped", e -> body(e).get("threadId").getAsInt() == b));
            assertEquals("pause", paused.get("reason").getAsString());
            // C and D run: their counters advance between two evaluates; A's and B's do not.
            long a1 = global(client, "counters[0]");
            long b1 = global(client, "counters[1]");
            long c1 = global(client, "counters[2]");
            long d1 = global(client, "counters[3]");
            awaitCondition("workers 2 and 3 to count on", () -> global(client, "counters[2]") > c1 && global(client, "counters[3]") > d1);
            assertEquals(a1, global(client, "counters[0]"));
            assertEquals(b1, global(client, "counters[1]"));
            JsonObject running = client.request("stackTrace", Map.of("threadId", threadNamed(client, "worker-2")));
            assertFalse(running.get("success").getAsBoolean());
            assertTrue(running.get("message").getAsString().contains("is running"));
            assertEquals("checkpoint:" + CHECKPOINT_LINE, where(client, a));
            // Only A continues: its counter moves on, B's stays.
            client.ok("continue", Map.of("threadId", a));
            awaitCondition("worker-0 to pass more checkpoints", () -> global(client, "counters[0]") > a1 + 2);
            assertEquals(b1, global(client, "counters[1]"));
            assertTrue(where(client, b).length() > 0, "B is still stopped: its stack is readable");
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void allStopStopsEveryThreadAndSingleThreadRunsOnlyTheOneAsked() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> launch = launchArgs("workers");
            launch.put("nonStop", false);
            start(client, launch, () -> client.ok("setBreakpoints", breakpointsAt("workers.c", CHECKPOINT_LINE)));
            JsonObject hit = body(client.event("stopped"));
            assertTrue(hit.get("allThreadsStopped").getAsBoolean());
            int a = hit.get("threadId").getAsInt();
            long c1 = global(client, "counters[2]");
            long a1 = global(client, "counters[0]");
            // singleThread: only worker-0 runs to its next checkpoint; worker-2 does not count.
            client.ok("continue", Map.of("threadId", a, "singleThread", true));
            assertTrue(body(client.event("stopped")).get("allThreadsStopped").getAsBoolean());
            assertEquals(a1 + 1, global(client, "counters[0]"));
            assertEquals(c1, global(client, "counters[2]"));
            // A step with singleThread moves only worker-0, too.
            client.ok("next", Map.of("threadId", a, "singleThread", true));
            assertEquals("step", body(client.event("stopped")).get("reason").getAsString());
            assertEquals(c1, global(client, "counters[2]"));
            // Without singleThread everyone runs during the 10 ms until the next checkpoint. On a
            // loaded machine worker-2 may get no CPU in one such window (CI saw it once with a
            // load of 12 on 2 cores): a few rounds, each an all-stop again.
            long c2 = c1;
            for (int round = 0; round < 20 && c2 == c1; round++) {
                client.ok("continue", Map.of("threadId", a));
                assertTrue(body(client.event("stopped")).get("allThreadsStopped").getAsBoolean());
                c2 = global(client, "counters[2]");
            }
            assertTrue(c2 > c1, "worker-2 ran while worker-0 slept");
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void nextOverALineThatRaisesAHandledSignalEndsOnTheNextLineNotInTheHandler() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> launch = launchArgs("step_signals");
            launch.put("signals", Map.of("SIGUSR1", Map.of("stop", false, "print", false, "pass", true)));
            start(client, launch, () -> client.ok("setBreakpoints", breakpointsAt("step_signals.c", 16)));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("next", Map.of("threadId", tid));
            assertEquals("step", body(client.event("stopped")).get("reason").getAsString());
            assertEquals("main:17", where(client, tid));
            assertEquals(Integer.toString(10), body(client.ok("evaluate", Map.of("expression", "handled", "context", "watch")))
                    .get("result").getAsString(), "the handler ran during the step");
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aSignalThatStopsEndsTheStepWithTheSignalStop() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("step_signals"), () -> client.ok("setBreakpoints", breakpointsAt("step_signals.c", 16)));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("next", Map.of("threadId", tid));
            JsonObject stop = body(client.event("stopped"));
            assertEquals("exception", stop.get("reason").getAsString(), "SIGUSR1 stops by gdb's default policy");
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt(), "the handler ran: the signal was passed");
        }
    }

    @Test
    void aBreakpointInALibraryNotLoadedYetIsPendingThenVerifiedAndHit() throws Exception {
        String plugin = TestServer.program("libplugin.so").toString();
        try (DapTestClient client = server.connect()) {
            JsonObject[] set = new JsonObject[1];
            start(client, launchArgs("dlopen_main", plugin), () -> set[0] = client.ok("setBreakpoints", breakpointsAt("plugin.c", 8)));
            JsonObject pending = body(set[0]).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertFalse(pending.get("verified").getAsBoolean());
            int id = pending.get("id").getAsInt();
            JsonObject verified = body(client.event("breakpoint", e -> body(e).getAsJsonObject("breakpoint").get("verified").getAsBoolean()));
            assertEquals(id, verified.getAsJsonObject("breakpoint").get("id").getAsInt());
            assertEquals(8, verified.getAsJsonObject("breakpoint").get("line").getAsInt());
            JsonObject hit = body(client.event("stopped"));
            assertEquals("breakpoint", hit.get("reason").getAsString());
            assertEquals("plugin_work:8", where(client, hit.get("threadId").getAsInt()));
            client.ok("continue", Map.of("threadId", hit.get("threadId").getAsInt()));
            // dlclose takes the code away: the breakpoint goes back to pending.
            client.event("breakpoint", e -> !body(e).getAsJsonObject("breakpoint").get("verified").getAsBoolean());
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    /**
     * At -O2 total_area is inlined into main: next steps over it as over a call. The lines are
     * gdb's for the same session (break sym_shapes.cpp:64, run, next, next).
     */
    @Test
    void nextAtO2StepsOverInlinedCallsAsGdbDoes() throws Exception {
        List<Integer> gdb = gdbLinesAfterNexts(TestServer.program("sym_cpp_o2"), "sym_shapes.cpp:64", 2);
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_cpp_o2"), () -> client.ok("setBreakpoints", breakpointsAt("sym_shapes.cpp", 64)));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("setBreakpoints", breakpointsAt("sym_shapes.cpp"));
            List<Integer> ours = new java.util.ArrayList<>();
            for (int i = 0; i < 2; i++) {
                client.ok("next", Map.of("threadId", tid));
                assertEquals("step", body(client.event("stopped")).get("reason").getAsString());
                String at = where(client, tid);
                assertTrue(at.startsWith("main:"), at);
                ours.add(Integer.parseInt(at.substring(at.indexOf(':') + 1)));
            }
            assertEquals(gdb, ours);
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    /** The line numbers gdb prints after each of {@code nexts} next commands from a breakpoint. */
    private static List<Integer> gdbLinesAfterNexts(java.nio.file.Path program, String breakpoint, int nexts) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "break " + breakpoint, "-ex", "run"));
        for (int i = 0; i < nexts; i++) {
            command.addAll(List.of("-ex", "next"));
        }
        command.add(program.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String[] lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).split("\n");
        p.waitFor();
        List<Integer> numbers = new java.util.ArrayList<>();
        for (String l : lines) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\t").matcher(l);
            if (m.find()) {
                numbers.add(Integer.parseInt(m.group(1)));
            }
        }
        assertTrue(numbers.size() == nexts + 1, "gdb printed: " + String.join("\n", lines));
        return numbers.subList(1, numbers.size());
    }

    @Test
    void cppStepInStepOutAndNext() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_cpp"), () -> client.ok("setBreakpoints", breakpointsAt("sym_shapes.cpp", 64)));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            assertEquals("main:64", where(client, tid));
            client.ok("stepIn", Map.of("threadId", tid));
            client.event("stopped");
            assertEquals("total_area:52", where(client, tid));
            client.ok("stepOut", Map.of("threadId", tid));
            client.event("stopped");
            assertEquals("main:64", where(client, tid));
            client.ok("next", Map.of("threadId", tid));
            client.event("stopped");
            assertEquals("main:65", where(client, tid));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }
}
