package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Breakpoint conditions resolve names as the watch does (names_cpp.cpp): a global of the
 * program in a condition on a libc function, a thread-local of the stopped thread, a
 * thread-local of a library opened with dlopen (dlopen_main, libplugin.so). gdb, given
 * the same conditional breakpoints, is the oracle for where the program stops and what the
 * names hold there.
 */
class ConditionNamesTest extends DapTestBase {
    private static final String SOURCE = BreakpointsAndSteppingTest.source("names_cpp.cpp");
    private static final Pattern FRAME = Pattern.compile("#0\\s+(?:0x[0-9a-f]+ in )?(\\S+) \\(.*\\) at \\S+:(\\d+)");

    private record GdbStop(String function, String line, List<String> prints) {
    }

    /** gdb's first stop with {@code breaks} ("location if condition"), then {@code print} of each expression. */
    private static GdbStop gdb(List<String> breaks, List<String> prints) throws Exception {
        return gdb(List.of(TestServer.program("names_cpp").toString()), breaks, prints);
    }

    private static GdbStop gdb(List<String> programAndArgs, List<String> breaks, List<String> prints) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set debuginfod enabled off",
                "-ex", "set breakpoint pending on", "-ex", "set pagination off"));
        for (String b : breaks) {
            cmd.addAll(List.of("-ex", "break " + b));
        }
        cmd.addAll(List.of("-ex", "run", "-ex", "frame"));
        for (String p : prints) {
            cmd.addAll(List.of("-ex", "print " + p));
        }
        cmd.add("--args");
        cmd.addAll(programAndArgs);
        Process gdb = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gdb.waitFor(60, TimeUnit.SECONDS), "gdb finishes");
        Matcher m = FRAME.matcher(out);
        assertTrue(m.find(), "gdb stopped:\n" + out);
        List<String> values = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.matches("\\$\\d+ = .*")) {
                values.add(line.substring(line.indexOf(" = ") + 3));
            }
        }
        assertEquals(prints.size(), values.size(), "gdb printed every expression:\n" + out);
        return new GdbStop(m.group(1), m.group(2), values);
    }

    private static Map<String, Object> line(int line, String condition) {
        Map<String, Object> b = new HashMap<>();
        b.put("line", line);
        b.put("condition", condition);
        return b;
    }

    private static void start(DapTestClient client, List<Map<String, Object>> lines, List<Map<String, Object>> functions) {
        start(client, launchArgs("names_cpp"), lines, functions);
    }

    private static void start(DapTestClient client, Map<String, Object> launch, List<Map<String, Object>> lines,
                              List<Map<String, Object>> functions) {
        client.initialize();
        client.ok("launch", launch);
        client.event("process");
        if (!lines.isEmpty()) {
            client.ok("setBreakpoints", Map.of("source", Map.of("path", SOURCE), "breakpoints", lines));
        }
        client.ok("setFunctionBreakpoints", Map.of("breakpoints", functions)); // usleep: pending until libc is loaded
        client.ok("configurationDone", Map.of());
    }

    private static JsonObject top(DapTestClient client, int tid) {
        JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
        return frames.get(0).getAsJsonObject();
    }

    private static String watch(DapTestClient client, int frameId, String expression) {
        JsonObject r = client.request("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "watch"));
        assertTrue(r.get("success").getAsBoolean(), expression + ": " + r);
        return body(r).get("result").getAsString();
    }

    /**
     * False conditions on a libc function (a program global, a thread-local: the worker's tl is
     * 101) and on main's line 69 (main's tl is 5) do not stop; the first stop is line 70, whose
     * condition holds. An unresolved name would have stopped at the first hit instead.
     */
    @Test
    void falseConditionsOnOtherModulesGlobalsAndThreadLocalsDoNotStop() throws Exception {
        GdbStop gdb = gdb(List.of("usleep if counter == 41 || tl == 5", "names_cpp.cpp:69 if tl == 6",
                "names_cpp.cpp:70 if tl == 5 && counter == 42"), List.of("tl", "counter"));
        try (DapTestClient client = server.connect()) {
            start(client, List.of(line(69, "tl == 6"), line(70, "tl == 5 && counter == 42")),
                    List.of(Map.of("name", "usleep", "condition", "counter == 41 || tl == 5")));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonObject frame = top(client, tid);
            assertEquals(gdb.function() + ":" + gdb.line(), frame.get("name").getAsString() + ":" + frame.get("line").getAsInt());
            int frameId = frame.get("id").getAsInt();
            assertEquals(gdb.prints(), List.of(watch(client, frameId, "tl"), watch(client, frameId, "counter")));
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of()));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    /** A condition holding in libc's usleep, from the worker thread: the program's global and the worker's tl. */
    @Test
    void aConditionInALibcFunctionSeesTheProgramsGlobalAndTheThreadsTls() throws Exception {
        GdbStop gdb = gdb(List.of("usleep if counter == 42 && tl == 101"), List.of("tl", "counter", "file_static"));
        try (DapTestClient client = server.connect()) {
            start(client, List.of(), List.of(Map.of("name", "usleep", "condition", "counter == 42 && tl == 101")));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonObject frame = top(client, tid);
            assertEquals(gdb.function(), frame.get("name").getAsString());
            int frameId = frame.get("id").getAsInt();
            assertEquals(gdb.prints(), List.of(watch(client, frameId, "tl"), watch(client, frameId, "counter"),
                    watch(client, frameId, "file_static")));
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of()));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    /**
     * A thread-local of a library opened with dlopen (dynamic TLS, through the thread's DTV):
     * libplugin.so's plugin_tl, 7 + 13 after plugin_work(13), in a condition and in the watch.
     */
    @Test
    void aDlopenedLibrarysThreadLocalInAConditionAndTheWatch() throws Exception {
        String plugin = TestServer.program("libplugin.so").toString();
        GdbStop gdb = gdb(List.of(TestServer.program("dlopen_main").toString(), plugin),
                List.of("plugin_touched if plugin_tl == 20"), List.of("plugin_tl", "plugin_calls"));
        try (DapTestClient client = server.connect()) {
            start(client, launchArgs("dlopen_main", plugin), List.of(),
                    List.of(Map.of("name", "plugin_touched", "condition", "plugin_tl == 20")));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonObject frame = top(client, tid);
            assertEquals(gdb.function(), frame.get("name").getAsString());
            int frameId = frame.get("id").getAsInt();
            assertEquals(gdb.prints(), List.of(watch(client, frameId, "plugin_tl"), watch(client, frameId, "plugin_calls")));
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of()));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }
}
