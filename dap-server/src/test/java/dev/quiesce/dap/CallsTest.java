package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Calls into the program from expressions (calls.c, calls_cpp.cpp; gcc and clang-16, -O0 and -O2), stopped at stop_here():
 * results as gdb prints them at the same stop, hover refusing, and a callee that hits a
 * breakpoint, crashes or never returns abandoning the call with the thread intact.
 */
class CallsTest extends DapTestBase {
    /** Expressions and the gdb expression giving the same value (gdb 13 wants a cast for functions without debug info). */
    private static final Map<String, String> C_CALLS = new LinkedHashMap<>();

    static {
        C_CALLS.put("add(2, 3)", "add(2, 3)");
        C_CALLS.put("scale(1.5)", "scale(1.5)");
        C_CALLS.put("halve(5)", "halve(5)");
        C_CALLS.put("sum8(1, 2, 3, 4, 5, 6, 7, 8)", "sum8(1, 2, 3, 4, 5, 6, 7, 8)");
        C_CALLS.put("mix(1, 2.5, 3, 0.25)", "mix(1, 2.5, 3, 0.25)");
        C_CALLS.put("pick(1)", "pick(1)");
        C_CALLS.put("make_pair(3, 4)", "make_pair(3, 4)");
        C_CALLS.put("make_mixed(5, 0.5)", "make_mixed(5, 0.5)");
        C_CALLS.put("make_big(10)", "make_big(10)");
        C_CALLS.put("big_sum(make_big(10))", "big_sum(make_big(10))");
        C_CALLS.put("count_args(3, 1, 2, 3)", "count_args(3, 1, 2, 3)");
        C_CALLS.put("sum_doubles(2, 1.5, 2.25)", "sum_doubles(2, 1.5, 2.25)");
        C_CALLS.put("strlen(name)", "(int) strlen(name)");
        C_CALLS.put("(unsigned long) strlen(name)", "(unsigned long) strlen(name)");
        C_CALLS.put("nodebug_twice(21)", "(int) nodebug_twice(21)");
        C_CALLS.put("add(add(1, 2), strlen(\"four\"))", "add(add(1, 2), (int) strlen(\"four\"))");
    }

    private static final Map<String, String> CPP_CALLS = new LinkedHashMap<>();

    static {
        CPP_CALLS.put("s.area()", "s.area()");
        CPP_CALLS.put("p->area()", "p->area()");
        CPP_CALLS.put("s.ident(1)", "s.ident(1)");
        CPP_CALLS.put("p->ident(2)", "p->ident(2)");
        CPP_CALLS.put("(*p).area() + s.area()", "(*p).area() + s.area()");
        // Itanium C++ ABI: classes not trivial for calls go by invisible reference, small or not.
        CPP_CALLS.put("counted_twice(global_counted)", "counted_twice(global_counted)");
        CPP_CALLS.put("make_counted(8)", "make_counted(8)");
        CPP_CALLS.put("make_named(4).n", "make_named(4).n");
        // Overloads chosen by the arguments' types.
        CPP_CALLS.put("over(1)", "over(1)");
        CPP_CALLS.put("over(1.5)", "over(1.5)");
        CPP_CALLS.put("over(\"abc\")", "over(\"abc\")");
    }

    /** The calls gdb can make in that build: at -O2 Named's copy constructor is inlined (gdb runs it to pass one). */
    private static Map<String, String> cppCalls(String program) {
        Map<String, String> calls = new LinkedHashMap<>(CPP_CALLS);
        if (program.equals("calls_cpp_o2")) { // only Shape::ident(int) [clone .isra.0]: gdb calls it, with garbage
            calls.remove("s.ident(1)");
            calls.remove("p->ident(2)");
        }
        if (!program.endsWith("_o2")) {
            calls.put("named_length(global_named)", "named_length(global_named)");
        }
        if (!program.contains("clang")) { // gdb's libstdc++ printer fails on clang's std::string here
            calls.put("make_named(4)", "make_named(4)");
        }
        return calls;
    }

    private static void assumeBuilt(String program) {
        assumeTrue(java.nio.file.Files.exists(TestServer.program(program)), program + " was not built (clang-16 missing?): skipped");
    }

    /** initialize, launch with a function breakpoint on stop_here, configurationDone; the stopped event. */
    private static JsonObject stopAtStopHere(DapTestClient client, Map<String, Object> launch, String... moreFunctions) {
        client.initialize();
        client.ok("launch", launch);
        client.event("process");
        List<Map<String, Object>> bps = new ArrayList<>();
        bps.add(Map.of("name", "stop_here"));
        for (String f : moreFunctions) {
            bps.add(Map.of("name", f));
        }
        client.ok("setFunctionBreakpoints", Map.of("breakpoints", bps));
        client.ok("configurationDone", Map.of());
        return client.event("stopped");
    }

    private static JsonObject topFrame(DapTestClient client, int tid) {
        JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
        return frames.get(0).getAsJsonObject();
    }

    private static String eval(DapTestClient client, int frameId, String context, String expression) {
        JsonObject r = client.request("evaluate", Map.of("expression", expression, "frameId", frameId, "context", context));
        assertTrue(r.get("success").getAsBoolean(), expression + " in " + context + ": " + r);
        return body(r).get("result").getAsString();
    }

    private static String failure(DapTestClient client, int frameId, String context, String expression) {
        JsonObject r = client.request("evaluate", Map.of("expression", expression, "frameId", frameId, "context", context));
        assertFalse(r.get("success").getAsBoolean(), expression + " should fail in " + context + ": " + r);
        return r.get("message").getAsString();
    }

    /** gdb's {@code print} of each expression at the first stop in {@code function}. */
    private static List<String> gdbPrints(String program, String function, List<String> expressions)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set debuginfod enabled off",
                "-ex", "break " + function, "-ex", "run"));
        for (String e : expressions) {
            cmd.add("-ex");
            cmd.add("print " + e);
        }
        cmd.add(TestServer.program(program).toString());
        Process gdb = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gdb.waitFor(60, TimeUnit.SECONDS), "gdb finishes");
        List<String> values = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.matches("\\$\\d+ = .*")) {
                values.add(line.substring(line.indexOf(" = ") + 3));
            }
        }
        assertEquals(expressions.size(), values.size(), "gdb printed every expression:\n" + out);
        return values;
    }

    @ParameterizedTest
    @ValueSource(strings = {"calls", "calls_o2", "calls_clang", "calls_clang_o2"})
    void callsAnswerWhatGdbPrintsInWatchAndRepl(String program) throws Exception {
        assumeBuilt(program);
        List<String> gdb = gdbPrints(program, "stop_here", new ArrayList<>(C_CALLS.values()));
        try (DapTestClient client = server.connect()) {
            int tid = body(stopAtStopHere(client, launchArgs(program))).get("threadId").getAsInt();
            int frameId = topFrame(client, tid).get("id").getAsInt();
            int i = 0;
            for (String expression : C_CALLS.keySet()) {
                String expected = gdb.get(i++);
                assertEquals(expected, eval(client, frameId, "repl", expression), "repl: " + expression);
                assertEquals(expected, eval(client, frameId, "watch", expression), "watch: " + expression);
            }
            assertEquals("5", eval(client, frameId, "watch", "add(2, 3)"));
            assertEquals("7", eval(client, frameId, "watch", "strlen(name)"), "libc's strlen, found by its ELF symbol");
            assertEquals("3", eval(client, frameId, "watch", "scale(1.5)"));
            String hover = failure(client, frameId, "hover", "add(2, 3)");
            assertTrue(hover.contains("not made in hover"), hover);
            String arity = failure(client, frameId, "watch", "add(1)");
            assertTrue(arity.contains("takes 2 arguments"), arity);
            assertTrue(failure(client, frameId, "watch", "no_such_function(1)").contains("no function 'no_such_function'"));
            JsonObject noFrame = client.request("evaluate", Map.of("expression", "add(1, 2)", "context", "watch"));
            assertFalse(noFrame.get("success").getAsBoolean(), noFrame.toString());

            // A call's side effect is the program's: it shows in the program's own output at its exit.
            assertEquals("5", eval(client, frameId, "repl", "bump(5)"));
            client.ok("continue", Map.of("threadId", tid));
            JsonObject exited = client.event("exited");
            assertEquals(0, body(exited).get("exitCode").getAsInt());
            client.event("terminated");
            assertTrue(output(client).contains("calls done: counter=5 add=3 twice=8"), output(client));
        }
    }

    private static String output(DapTestClient client) {
        StringBuilder text = new StringBuilder();
        for (JsonObject m : client.history()) {
            if (m.has("event") && m.get("event").getAsString().equals("output")
                    && "stdout".equals(body(m).get("category").getAsString())) {
                text.append(body(m).get("output").getAsString());
            }
        }
        return text.toString();
    }

    private record ThreadState(String frame, String rip, String rsp) {
    }

    private static ThreadState state(DapTestClient client, int tid) {
        JsonObject top = topFrame(client, tid);
        int frameId = top.get("id").getAsInt();
        return new ThreadState(top.get("name").getAsString() + ":" + top.get("line").getAsInt(),
                eval(client, frameId, "repl", "$rip"), eval(client, frameId, "repl", "$rsp"));
    }

    @Test
    void aCalleeThatStopsCrashesOrSpinsIsAbandonedAndTheThreadIsIntact() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = body(stopAtStopHere(client, launchArgs("calls"), "hits_breakpoint")).get("threadId").getAsInt();
            ThreadState before = state(client, tid);
            int frameId = topFrame(client, tid).get("id").getAsInt();

            String bp = failure(client, frameId, "repl", "hits_breakpoint(1)");
            assertTrue(bp.contains("stopped at a breakpoint") && bp.contains("hits_breakpoint") && bp.contains("restored"), bp);
            assertEquals(before, state(client, tid));

            String segv = failure(client, frameId, "watch", "crashes(0)");
            assertTrue(segv.contains("received signal SIGSEGV") && segv.contains("crashes"), segv);
            assertEquals(before, state(client, tid));

            String ticksBefore = eval(client, frameId, "watch", "ticks");
            long start = System.nanoTime();
            String spin = failure(client, frameId, "repl", "spins()");
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(spin.contains("did not return within 3 s") && spin.contains("spins"), spin);
            assertTrue(took >= 2900 && took < 4900, "abandoned after the timeout: " + took + " ms");
            assertEquals(before, state(client, tid));
            long advanced = Long.parseLong(eval(client, frameId, "watch", "ticks")) - Long.parseLong(ticksBefore);
            assertTrue(advanced > 0, "non-stop: the worker thread ran during the call (" + advanced + " ticks)");

            assertEquals("5", eval(client, frameId, "watch", "add(2, 3)"), "calls still work after abandoned ones");
            assertEquals(1, client.history().stream().filter(m -> m.has("event")
                    && m.get("event").getAsString().equals("stopped")).count(), "no stop reported from inside a callee");

            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of()));
            client.ok("continue", Map.of("threadId", tid));
            JsonObject exited = client.event("exited");
            assertEquals(0, body(exited).get("exitCode").getAsInt());
            client.event("terminated");
            assertTrue(output(client).contains("calls done: counter=0 add=3 twice=8"), output(client));
        }
    }

    @Test
    void allStopKeepsTheOtherThreadsStoppedDuringACall() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> launch = launchArgs("calls");
            launch.put("nonStop", false);
            int tid = body(stopAtStopHere(client, launch)).get("threadId").getAsInt();
            int frameId = topFrame(client, tid).get("id").getAsInt();
            String ticks = eval(client, frameId, "watch", "ticks");
            assertTrue(failure(client, frameId, "repl", "spins()").contains("did not return"));
            assertEquals(ticks, eval(client, frameId, "watch", "ticks"), "the worker stayed stopped");
            assertEquals("5", eval(client, frameId, "watch", "add(2, 3)"));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"calls_cpp", "calls_cpp_o2", "calls_cpp_clang", "calls_cpp_clang_o2"})
    void memberFunctionsNonVirtualAndVirtualAsGdbCallsThem(String program) throws Exception {
        assumeBuilt(program);
        Map<String, String> calls = cppCalls(program);
        List<String> gdb = gdbPrints(program, "stop_here", new ArrayList<>(calls.values()));
        try (DapTestClient client = server.connect()) {
            int tid = body(stopAtStopHere(client, launchArgs(program))).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            int frameId = frames.get(0).getAsJsonObject().get("id").getAsInt();
            int i = 0;
            List<String> mismatches = new ArrayList<>();
            for (String expression : calls.keySet()) {
                JsonObject r = client.request("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "watch"));
                String ours = r.get("success").getAsBoolean() ? body(r).get("result").getAsString() : "error: " + r.get("message");
                String expected = gdb.get(i++);
                if (!expected.equals(ours)) {
                    mismatches.add(expression + ": gdb «" + expected + "» ours «" + ours + "»");
                }
            }
            assertEquals("", String.join("\n", mismatches));
            assertEquals("7", eval(client, frameId, "watch", "s.area()"), "virtual: Rect::area through a Shape &");
            assertEquals("9.5", eval(client, frameId, "watch", "p->area()"), "virtual: Square::area through a Shape *");
            assertEquals("3", eval(client, frameId, "watch", "global_named.n"), "the by-reference argument's original is intact");
            if (program.equals("calls_cpp_o2")) {
                String clone = failure(client, frameId, "watch", "s.ident(1)");
                assertTrue(clone.contains("clone") && clone.contains(".isra."), clone);
            }
            if (program.endsWith("_o2")) { // main's obj lives in registers or not at all there: no calls on it
                client.ok("continue", Map.of("threadId", tid));
                assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
                return;
            }
            int mainFrame = frames.get(1).getAsJsonObject().get("id").getAsInt();
            assertEquals("7", eval(client, mainFrame, "watch", "obj.area()"));
            assertEquals("8", eval(client, mainFrame, "watch", "obj.ident(1)"), "a base class's non-virtual member");
            assertEquals("28", eval(client, mainFrame, "repl", "obj.scaled(2)"));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            client.event("terminated");
            assertTrue(output(client).contains("areas 28.0 9.5 ident 7"), output(client));
        }
    }
}
