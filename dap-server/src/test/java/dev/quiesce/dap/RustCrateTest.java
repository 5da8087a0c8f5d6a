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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real crate (issue 15): xml-rs 0.8's own {@code xml-analyze} binary, built from Debian's
 * librust-xml-rs-dev sources by test-programs (rustc directly; the crate has no dependencies),
 * run on the crate's own test document. A function breakpoint by Rust path in the lexer, the
 * arguments and locals of the two innermost frames, then next, next, stepIn: each compared with
 * rust-gdb at the same stops.
 */
class RustCrateTest extends DapTestBase {
    private static final String FUNCTION = "xml::reader::lexer::Lexer::read_next_token";
    private static final List<String> GDB_STEPS = List.of("next", "next", "step");

    private static Path program() {
        Path p = Path.of(System.getProperty("quiesce.testprograms.dir"), "xml_analyze_rs");
        Assumptions.assumeTrue(Files.isExecutable(p), "xml_analyze_rs was not built (needs rustc and Debian's librust-xml-rs-dev"
                + " sources in /usr/share/cargo/registry/xml-rs-0.8.*): skipped");
        return p;
    }

    /** "name = value" lines of gdb's info args / info locals, in order, until the next command's output. */
    private static Map<String, String> values(String section) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String l : section.split("\n")) {
            int eq = l.indexOf(" = ");
            if (eq > 0 && l.substring(0, eq).matches("[a-z_0-9]+")) {
                out.putIfAbsent(l.substring(0, eq), l.substring(eq + 3));
            }
        }
        return out;
    }

    @Test
    void functionBreakpointFramesLocalsAndStepsEqualRustGdbs() throws Exception {
        Path program = program();
        Path input = program.getParent().resolve("xml_sample.xml");
        List<String> commands = new ArrayList<>(List.of("break " + FUNCTION, "run", "bt 2", "echo ==frame0\\n", "info args",
                "info locals", "up", "echo ==frame1\\n", "info args", "info locals", "down", "echo ==steps\\n"));
        commands.addAll(GDB_STEPS);
        commands.add("echo ==after\\n");
        commands.add("info locals");
        String gdb = Gdb.run(List.of(RustValuesTest.rustBin().resolve("rust-gdb").toString()), program.getParent(), program,
                List.of(input.toString()), commands.toArray(String[]::new));
        Matcher at = Pattern.compile("Breakpoint 1 at 0x[0-9a-f]+: file ([^,]+), line (\\d+)").matcher(gdb);
        assertTrue(at.find(), gdb);
        List<String> gdbFrames = new ArrayList<>();
        // "#1  0x... in NAME (self=..., b=...) at ...": a generic's NAME has spaces (BufReader<&mut dyn std::io::Read>)
        Matcher bt = Pattern.compile("(?m)^#\\d+\\s+(?:0x[0-9a-f]+ in )?(.+?) \\((?:[a-z_0-9]+=|\\))")
                .matcher(gdb.substring(gdb.indexOf("Breakpoint 1,"), gdb.indexOf("==frame0")));
        while (bt.find()) {
            gdbFrames.add(bt.group(1));
        }
        Map<String, String> frame0 = values(gdb.substring(gdb.indexOf("==frame0"), gdb.indexOf("==frame1")));
        Map<String, String> frame1 = values(gdb.substring(gdb.indexOf("==frame1"), gdb.indexOf("==steps")));
        List<Integer> gdbLines = new ArrayList<>();
        Matcher lines = Pattern.compile("(?m)^(\\d+)\\t").matcher(gdb.substring(gdb.indexOf("==steps"), gdb.indexOf("==after")));
        while (lines.find()) {
            gdbLines.add(Integer.parseInt(lines.group(1)));
        }
        assertEquals(GDB_STEPS.size(), gdbLines.size(), gdb);
        Map<String, String> after = values(gdb.substring(gdb.indexOf("==after")));
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", Map.of("program", program.toString(), "args", List.of(input.toString())));
            client.event("process");
            JsonArray bps = body(client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", FUNCTION)))))
                    .getAsJsonArray("breakpoints");
            assertTrue(bps.get(0).getAsJsonObject().get("verified").getAsBoolean(), bps.toString());
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            JsonObject top = frames.get(0).getAsJsonObject();
            assertEquals(at.group(1), top.getAsJsonObject("source").get("path").getAsString());
            assertEquals(Integer.parseInt(at.group(2)), top.get("line").getAsInt());
            List<String> names = List.of(top.get("name").getAsString(), frames.get(1).getAsJsonObject().get("name").getAsString());
            System.out.println("rust-gdb: " + gdbFrames + "\nours:     " + names);
            assertEquals(gdbFrames.subList(0, 2), names);
            List<String> mismatches = new ArrayList<>();
            compare(client, top.get("id").getAsInt(), frame0, "frame 0", mismatches);
            compare(client, frames.get(1).getAsJsonObject().get("id").getAsInt(), frame1, "frame 1", mismatches);
            List<Integer> ours = new ArrayList<>();
            for (String gdbStep : GDB_STEPS) {
                client.ok(gdbStep.equals("step") ? "stepIn" : gdbStep, Map.of("threadId", tid));
                assertEquals("step", body(client.event("stopped")).get("reason").getAsString());
                top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
                ours.add(top.has("source") ? top.get("line").getAsInt() : -1);
            }
            System.out.println("rust-gdb steps: " + gdbLines + "\nours:           " + ours);
            assertEquals(gdbLines, ours);
            compare(client, top.get("id").getAsInt(), after, "after the steps", mismatches);
            System.out.println(mismatches.size() + " differ:\n" + String.join("\n", mismatches));
            assertTrue(mismatches.isEmpty(), mismatches.size() + " differ:\n" + String.join("\n", mismatches));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /** Our Arguments and Locals of a frame against rust-gdb's; references are stack addresses that may differ between runs. */
    private static void compare(DapTestClient client, int frameId, Map<String, String> want, String where, List<String> mismatches) {
        assertTrue(!want.isEmpty(), where + ": rust-gdb printed no values");
        Map<String, String> ours = new LinkedHashMap<>();
        for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes")) {
            String scope = s.getAsJsonObject().get("name").getAsString();
            if (scope.equals("Arguments") || scope.equals("Locals")) {
                for (JsonElement v : RustValuesTest.variables(client, s.getAsJsonObject().get("variablesReference").getAsInt(), Map.of())) {
                    ours.putIfAbsent(v.getAsJsonObject().get("name").getAsString(), v.getAsJsonObject().get("value").getAsString());
                }
            }
        }
        for (var e : want.entrySet()) {
            String mine = ours.get(e.getKey());
            boolean bothAddresses = mine != null && mine.matches("0x[0-9a-f]+") && e.getValue().matches("0x[0-9a-f]+");
            if (!bothAddresses && !e.getValue().equals(mine)) {
                mismatches.add(where + " " + e.getKey() + ": rust-gdb «" + e.getValue() + "» ours «" + mine + "»");
            }
        }
    }
}
