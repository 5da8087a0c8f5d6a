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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Line, function and instruction breakpoints and next/stepIn/stepOut on sym_c (src/sym_main.c). */
class BreakpointsAndSteppingTest extends DapTestBase {
    private static final String MAIN_C = source("sym_main.c");

    static String source(String name) {
        return TestServer.program("sym_c").getParent().resolve("../../src/" + name).normalize().toString();
    }

    private static Map<String, Object> sourceBreakpoints(String path, Map<String, Object>... breakpoints) {
        return Map.of("source", Map.of("path", path), "breakpoints", List.of(breakpoints));
    }

    private static Map<String, Object> line(int line) {
        Map<String, Object> b = new HashMap<>();
        b.put("line", line);
        return b;
    }

    /** initialize, launch, breakpoints, configurationDone. */
    private static void start(DapTestClient client, Map<String, Object> launch, Runnable configure) {
        client.initialize();
        client.ok("launch", launch);
        client.event("process");
        configure.run();
        client.ok("configurationDone", Map.of());
    }

    private static JsonObject top(DapTestClient client, int tid) {
        JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
        return frames.get(0).getAsJsonObject();
    }

    private static String where(JsonObject frame) {
        return frame.get("name").getAsString() + ":" + frame.get("line").getAsInt();
    }

    private static JsonObject stopped(DapTestClient client, String reason) {
        JsonObject e = client.event("stopped");
        assertEquals(reason, body(e).get("reason").getAsString(), e.toString());
        return e;
    }

    @Test
    void aLineBreakpointIsVerifiedMovedToCodeAndHitWithItsId() throws Exception {
        try (DapTestClient client = server.connect()) {
            JsonObject[] set = new JsonObject[1];
            start(client, launchArgs("sym_c"), () -> set[0] = client.ok("setBreakpoints",
                    sourceBreakpoints(MAIN_C, line(26), line(44), line(1000))));
            JsonArray bps = body(set[0]).getAsJsonArray("breakpoints");
            // The program is loaded (held at exec) when launch answers: its lines resolve at once.
            JsonObject moved = bps.get(0).getAsJsonObject();
            assertTrue(moved.get("verified").getAsBoolean(), moved.toString());
            assertEquals(29, moved.get("line").getAsInt(), "line 26 moves past sum_to's prologue, as gdb");
            assertTrue(moved.get("message").getAsString().contains("moved to line 29"));
            JsonObject hit = stopped(client, "breakpoint");
            int tid = body(hit).get("threadId").getAsInt();
            assertEquals(bps.get(1).getAsJsonObject().get("id").getAsInt(), body(hit).getAsJsonArray("hitBreakpointIds").get(0).getAsInt());
            assertEquals("main:44", where(top(client, tid)));
            client.ok("continue", Map.of("threadId", tid));
            JsonObject second = stopped(client, "breakpoint");
            assertEquals("sum_to:29", where(top(client, body(second).get("threadId").getAsInt())));
            // Breakpoints set while stopped resolve at once; the one past the end never verifies.
            JsonArray now = body(client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(1000)))).getAsJsonArray("breakpoints");
            assertFalse(now.get(0).getAsJsonObject().get("verified").getAsBoolean());
            assertTrue(now.get(0).getAsJsonObject().get("message").getAsString().contains("no code at or after line 1000"));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    /**
     * A thread that stops again at once (recursion through a breakpoint) is reported after the
     * continue's response: clients that mark a thread running on that response (VS Code) would
     * otherwise show a stopped thread as running.
     */
    @Test
    void theStopAfterAContinueComesAfterTheContinuesResponse() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c", "8"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(22))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            for (int i = 0; i < 5; i++) {
                int seq = client.send("continue", Map.of("threadId", tid));
                stopped(client, "breakpoint");
                List<JsonObject> history = client.history();
                int response = -1;
                int stop = -1;
                for (int k = 0; k < history.size(); k++) {
                    JsonObject m = history.get(k);
                    if (m.has("request_seq") && m.get("request_seq").getAsInt() == seq) {
                        response = k;
                    }
                    if (m.has("event") && m.get("event").getAsString().equals("stopped")) {
                        stop = k;
                    }
                }
                List<JsonObject> tail = history.subList(Math.max(0, history.size() - 6), history.size());
                assertTrue(response >= 0 && response < stop, "continue " + seq + "'s response (" + response + ") before the stop ("
                        + stop + "): " + tail);
            }
            client.ok("setBreakpoints", sourceBreakpoints(MAIN_C));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void hitConditionStopsAtTheNthHitOnly() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> bp = line(22);
            bp.put("hitCondition", "3");
            start(client, launchArgs("sym_c", "6"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, bp)));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            int depth = 0;
            for (var f : frames) {
                depth += f.getAsJsonObject().get("name").getAsString().equals("factorial") ? 1 : 0;
            }
            assertEquals(3, depth, "the third call of factorial: three frames deep");
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void aConditionStopsOnlyWhereItHoldsAndLogpointsPrintTheirExpressions() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> conditional = line(22);
            conditional.put("condition", "n == 2");
            Map<String, Object> logpoint = line(36);
            logpoint.put("logMessage", "apply({v}) counter={counter}");
            Map<String, Object> broken = line(29);
            broken.put("condition", "s ==");
            JsonObject[] set = new JsonObject[1];
            start(client, launchArgs("sym_c", "4"), () -> set[0] = client.ok("setBreakpoints",
                    sourceBreakpoints(MAIN_C, conditional, logpoint, broken)));
            JsonObject bad = body(set[0]).getAsJsonArray("breakpoints").get(2).getAsJsonObject();
            assertFalse(bad.get("verified").getAsBoolean());
            assertTrue(bad.get("message").getAsString().startsWith("condition: "), bad.toString());
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            JsonObject frame = top(client, tid);
            JsonObject n = client.ok("evaluate", Map.of("expression", "n", "frameId", frame.get("id").getAsInt(), "context", "watch"));
            assertEquals("2", body(n).get("result").getAsString());
            client.ok("continue", Map.of("threadId", tid));
            JsonObject out = client.event("output", e -> body(e).get("output").getAsString().startsWith("apply("));
            assertEquals("apply(7) counter=0\n", body(out).get("output").getAsString());
            assertEquals(36, body(out).get("line").getAsInt());
            client.event("exited");
        }
    }

    @Test
    void functionAndInstructionBreakpoints() throws Exception {
        try (DapTestClient client = server.connect()) {
            JsonObject[] set = new JsonObject[1];
            start(client, launchArgs("sym_c"), () -> set[0] = client.ok("setFunctionBreakpoints",
                    Map.of("breakpoints", List.of(Map.of("name", "util_distance"), Map.of("name", "no_such_function")))));
            JsonObject hit = stopped(client, "function breakpoint");
            int tid = body(hit).get("threadId").getAsInt();
            JsonObject frame = top(client, tid);
            assertEquals("util_distance", frame.get("name").getAsString());
            String pc = frame.get("instructionPointerReference").getAsString();
            JsonArray bps = body(client.ok("setInstructionBreakpoints", Map.of("breakpoints",
                    List.of(Map.of("instructionReference", pc, "offset", 0))))).getAsJsonArray("breakpoints");
            assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean());
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of()));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited"); // util_distance runs once: no second stop
            assertTrue(client.history().stream().anyMatch(m -> m.has("event") && m.get("event").getAsString().equals("breakpoint")
                    || m.toString().contains("no function named 'no_such_function'")), "the missing function is explained");
        }
    }

    @Test
    void nextStepsOverCallsAndAOneLineLoopInOneStep() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(44))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                client.ok("next", Map.of("threadId", tid));
                stopped(client, "step");
                lines.add(where(top(client, tid)));
            }
            assertEquals(List.of("main:45", "main:46", "main:47", "main:48"), lines);
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void nextOverAMillionIterationLoopLineIsOneStep() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c", "1000"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(30))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            client.ok("setBreakpoints", sourceBreakpoints(MAIN_C));
            client.ok("next", Map.of("threadId", tid));
            stopped(client, "step");
            assertEquals("sum_to:31", where(top(client, tid)));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void stepInEntersACallAndStepOutReturnsOneLevelOfRecursion() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(44))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            client.ok("stepIn", Map.of("threadId", tid));
            stopped(client, "step");
            assertEquals("factorial:22", where(top(client, tid)));
            // Two levels deeper, then out exactly one.
            for (int i = 0; i < 2; i++) {
                client.ok("next", Map.of("threadId", tid));
                stopped(client, "step");
                client.ok("stepIn", Map.of("threadId", tid));
                stopped(client, "step");
            }
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            assertEquals("factorial", frames.get(2).getAsJsonObject().get("name").getAsString());
            int total = frames.size();
            client.ok("stepOut", Map.of("threadId", tid));
            stopped(client, "step");
            JsonArray after = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            assertEquals(total - 1, after.size(), "one frame fewer");
            assertEquals("factorial:24", where(after.get(0).getAsJsonObject()));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void stepInOverALibraryCallWithoutDebugInfoStaysInTheCaller() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(48))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            client.ok("stepIn", Map.of("threadId", tid)); // printf through the PLT
            stopped(client, "step");
            assertEquals("main:49", where(top(client, tid)));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void aBreakpointInsideASteppedOverCallStopsThere() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(46), line(17))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            assertEquals("main:46", where(top(client, tid)));
            client.ok("next", Map.of("threadId", tid));
            stopped(client, "breakpoint");
            assertEquals("square:17", where(top(client, tid)));
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited"); // the cancelled step leaves nothing behind
        }
    }

    @Test
    void instructionStepsMoveOneInstruction() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(44))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            long before = Long.decode(top(client, tid).get("instructionPointerReference").getAsString());
            client.ok("stepIn", Map.of("threadId", tid, "granularity", "instruction"));
            stopped(client, "step");
            long after = Long.decode(top(client, tid).get("instructionPointerReference").getAsString());
            assertTrue(after > before && after - before <= 15, "one instruction: " + before + " -> " + after);
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void aLineStepInCodeWithoutLineInformationRunsUntilTheFunctionReturns() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c_no_cfi"), () -> client.ok("setFunctionBreakpoints",
                    Map.of("breakpoints", List.of(Map.of("name", "square")))));
            int tid = body(stopped(client, "function breakpoint")).get("threadId").getAsInt();
            assertEquals("square", top(client, tid).get("name").getAsString());
            client.ok("next", Map.of("threadId", tid));
            stopped(client, "step");
            assertEquals("apply", top(client, tid).get("name").getAsString(), "out of square, into its caller (no lines there either)");
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    @Test
    void breakpointLocationsListTheLinesWithCode() throws Exception {
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("sym_c"), () -> client.ok("setBreakpoints", sourceBreakpoints(MAIN_C, line(44))));
            int tid = body(stopped(client, "breakpoint")).get("threadId").getAsInt();
            JsonArray locations = body(client.ok("breakpointLocations", Map.of("source", Map.of("path", MAIN_C),
                    "line", 26, "endLine", 32))).getAsJsonArray("breakpoints");
            List<Integer> lines = new ArrayList<>();
            locations.forEach(l -> lines.add(l.getAsJsonObject().get("line").getAsInt()));
            assertEquals(List.of(28, 29, 30, 31, 32), lines);
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }

    static Path mainSource() {
        return Path.of(MAIN_C);
    }
}
