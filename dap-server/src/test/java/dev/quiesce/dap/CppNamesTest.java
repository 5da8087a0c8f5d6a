package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** C++ as a new user meets it in a real program (ninja), with gdb 13 at the same stop as the oracle. */
class CppNamesTest extends DapTestBase {
    private static final Pattern GDB_STOP = Pattern.compile("^Breakpoint 1, .* at \\S+:(\\d+)$", Pattern.MULTILINE);

    private static Path realProgram(String name) {
        Path p = Path.of(System.getProperty("quiesce.testprograms.dir"), name);
        if (System.getenv("QUIESCE_REQUIRE_REAL_PROGRAMS") == null) {
            Assumptions.assumeTrue(Files.isExecutable(p), name + " was not built (test-programs `make real` needs deb-src): skipped");
        }
        return p;
    }

    private static String evaluate(DapTestClient client, int frameId, String expression) {
        return body(client.ok("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "watch")))
                .get("result").getAsString();
    }

    /**
     * ninja built as configure.py builds it with CFLAGS=-O0 (the producer string says -O2 and -O0):
     * a method's function breakpoint goes past the prologue, where {@code this} is set.
     */
    @Test
    void ninjaMethodBreakpointStopsWhereGdbDoesWithThisValid(@TempDir Path dir) throws Exception {
        Path ninja = realProgram("ninja");
        Files.writeString(dir.resolve("build.ninja"), "rule cc\n  command = touch $out\nbuild a.o: cc a.c\n");
        Files.writeString(dir.resolve("a.c"), "");
        String watch = "this->pools_._M_t._M_impl._M_node_count";
        String gdb = Gdb.run(dir, ninja, List.of("-n"), "break State::AddEdge", "run", "print " + watch, "print rule == 0");
        Matcher m = GDB_STOP.matcher(gdb);
        assertTrue(m.find(), gdb);
        int gdbLine = Integer.parseInt(m.group(1));
        List<String> gdbValues = Gdb.printed(gdb);
        try (DapTestClient client = server.connect()) {
            Map<String, Object> launch = Map.of("program", ninja.toString(), "args", List.of("-n"), "cwd", dir.toString());
            client.initialize();
            client.ok("launch", launch);
            client.event("process");
            JsonArray bps = body(client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "State::AddEdge")))))
                    .getAsJsonArray("breakpoints");
            assertEquals(gdbLine, bps.get(0).getAsJsonObject().get("line").getAsInt(), "the breakpoint's line");
            client.ok("configurationDone", Map.of());
            JsonObject stop = client.event("stopped");
            int tid = body(stop).get("threadId").getAsInt();
            JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
            assertEquals("State::AddEdge", top.get("name").getAsString());
            assertEquals(gdbLine, top.get("line").getAsInt(), "the stop's line, as gdb's");
            int frameId = top.get("id").getAsInt();
            assertEquals(gdbValues.get(0), evaluate(client, frameId, watch), "a member through this");
            assertEquals(gdbValues.get(1), evaluate(client, frameId, "rule == 0"));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
