package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standard-library values in a real C++ program nobody here wrote (ninja, -O0): at the stop in
 * State::AddEdge, std::string / std::vector / std::map / std::unordered_map members and the
 * caller's (ManifestParser::ParseEdge) locals, in watch and in the Variables view, equal gdb 13's
 * print and info locals with its libstdc++ printers at the same stop.
 */
class NinjaValuesTest extends DapTestBase {
    private static final List<String> FRAME0 = List.of("pools_", "edges_", "*rule", "rule->name_", "rule->name_.size()", "paths_",
            "bindings_", "defaults_", "edges_.size()", "rule->bindings_");
    /**
     * The caller's locals constructed by the stop: pool_name and dyndep are declared after the
     * call (lines 322, 408), their bytes are garbage (gdb prints pool_name's huge length as "").
     */
    private static final List<String> FRAME1 = List.of("ins", "outs", "validations", "rule_name", "outs.size()", "outs[0]",
            "*state_");
    private static final List<String> LOCALS = List.of("ins", "outs", "validations", "rule_name", "implicit", "order_only");

    private static Path ninja() {
        Path p = Path.of(System.getProperty("quiesce.testprograms.dir"), "ninja");
        if (System.getenv("QUIESCE_REQUIRE_REAL_PROGRAMS") == null) {
            Assumptions.assumeTrue(Files.isExecutable(p), "ninja was not built (test-programs `make real` needs deb-src): skipped");
        }
        return p;
    }

    private static String evaluate(DapTestClient client, int frameId, String expression) {
        JsonObject r = client.request("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "watch"));
        return r.get("success").getAsBoolean() ? body(r).get("result").getAsString() : "error: " + r.get("message");
    }

    /** gdb's {@code info locals} lines {@code name = value} (one line each at these stops). */
    private static Map<String, String> infoLocals(String gdb, String after) {
        Map<String, String> out = new HashMap<>();
        String tail = gdb.substring(gdb.indexOf(after));
        for (String line : tail.split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0 && line.substring(0, eq).matches("[a-z_]+")) {
                out.putIfAbsent(line.substring(0, eq), line.substring(eq + 3));
            }
        }
        return out;
    }

    @Test
    void ninjaLibraryValuesInTwoFramesEqualGdbs(@TempDir Path dir) throws Exception {
        Path ninja = ninja();
        Files.writeString(dir.resolve("build.ninja"), "rule cc\n  command = touch $out\nbuild a.o: cc a.c\n");
        Files.writeString(dir.resolve("a.c"), "");
        List<String> commands = new ArrayList<>(List.of("break State::AddEdge", "run"));
        FRAME0.forEach(e -> commands.add("print " + e));
        commands.add("up");
        FRAME1.forEach(e -> commands.add("print " + e));
        commands.add("info locals");
        String gdb = Gdb.run(dir, ninja, List.of("-n"), commands.toArray(String[]::new));
        List<String> gdbValues = Gdb.printed(gdb);
        assertEquals(FRAME0.size() + FRAME1.size(), gdbValues.size(), gdb);
        Map<String, String> gdbLocals = infoLocals(gdb, "manifest_parser.cc");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", Map.of("program", ninja.toString(), "args", List.of("-n"), "cwd", dir.toString()));
            client.event("process");
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "State::AddEdge"))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            assertEquals("ManifestParser::ParseEdge", frames.get(1).getAsJsonObject().get("name").getAsString());
            List<String> mismatches = new ArrayList<>();
            for (int f = 0; f < 2; f++) {
                int frameId = frames.get(f).getAsJsonObject().get("id").getAsInt();
                List<String> exprs = f == 0 ? FRAME0 : FRAME1;
                for (int i = 0; i < exprs.size(); i++) {
                    String want = gdbValues.get((f == 0 ? 0 : FRAME0.size()) + i);
                    String ours = evaluate(client, frameId, exprs.get(i));
                    if (!want.equals(ours)) {
                        mismatches.add("frame " + f + " " + exprs.get(i) + ": gdb «" + want + "» ours «" + ours + "»");
                    }
                }
            }
            // the caller's Locals scope in the Variables view: the same texts as gdb's info locals
            int caller = frames.get(1).getAsJsonObject().get("id").getAsInt();
            JsonArray scopes = body(client.ok("scopes", Map.of("frameId", caller))).getAsJsonArray("scopes");
            Map<String, String> ours = new HashMap<>();
            for (JsonElement s : scopes) {
                int ref = s.getAsJsonObject().get("variablesReference").getAsInt();
                for (JsonElement v : body(client.ok("variables", Map.of("variablesReference", ref))).getAsJsonArray("variables")) {
                    ours.putIfAbsent(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject().get("value").getAsString());
                }
            }
            for (String name : LOCALS) {
                if (!String.valueOf(gdbLocals.get(name)).equals(ours.get(name))) {
                    mismatches.add("Locals " + name + ": gdb «" + gdbLocals.get(name) + "» ours «" + ours.get(name) + "»");
                }
            }
            assertTrue(mismatches.isEmpty(), mismatches.size() + " differ:\n" + String.join("\n", mismatches));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
