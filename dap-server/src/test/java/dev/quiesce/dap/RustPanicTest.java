package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static dev.quiesce.dap.testing.DapTestClient.isType;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rust_panic exception filter (issue 15; CodeLLDB's id and label) on test-programs/src/panics.rs:
 * a formatted panic in check() (FormatStringPayload) and a literal one in main (a &str payload).
 * rust-gdb is the oracle: at its breakpoint on rust_panic, its backtrace gives the top frame and
 * the user's frame that panicked with its line; the message is what the program prints on stderr.
 */
class RustPanicTest extends DapTestBase {
    private static final Pattern FRAME = Pattern.compile("(?m)^#(\\d+)\\s+(?:0x[0-9a-f]+ in )?(\\S+) \\(.*\\) at (\\S+):(\\d+)$");

    static Path program() {
        Path p = TestServer.program("panics_rs");
        Assumptions.assumeTrue(Files.isExecutable(p), "panics_rs was not built (no rustc on PATH or in $HOME/.cargo/bin): skipped");
        return p;
    }

    /** rust-gdb's backtrace at rust_panic: "name file:line" per frame. */
    private static List<String> gdbFrames(Path program, List<String> args) throws Exception {
        String out = Gdb.run(List.of(RustValuesTest.rustBin().resolve("rust-gdb").toString()), program.getParent(), program, args,
                "break rust_panic", "run", "bt");
        List<String> frames = new ArrayList<>();
        Matcher m = FRAME.matcher(out.substring(out.indexOf("Breakpoint 1,")));
        while (m.find()) {
            frames.add(m.group(2) + " " + Path.of(m.group(3)).getFileName() + ":" + m.group(4));
        }
        assertTrue(frames.size() > 2, out);
        return frames;
    }

    private static List<String> ourFrames(DapTestClient client, int tid) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")) {
            JsonObject f = e.getAsJsonObject();
            String file = f.has("source") && f.getAsJsonObject("source").has("path")
                    ? Path.of(f.getAsJsonObject("source").get("path").getAsString()).getFileName().toString() : "?";
            out.add(f.get("name").getAsString() + " " + file + ":" + (f.has("line") ? f.get("line").getAsInt() : 0));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"formatted", "literal"})
    void aPanicStopsAsAnExceptionWithItsMessageThenExitsWith101(String kind) throws Exception {
        Path program = program();
        List<String> args = kind.equals("literal") ? List.of("literal") : List.of();
        String message = kind.equals("literal") ? "literal boom" : "too big: 3";
        String panicker = kind.equals("literal") ? "panics::main" : "panics::check";
        List<String> gdb = gdbFrames(program, args);
        String gdbPanicker = gdb.stream().filter(f -> f.startsWith(panicker + " ")).findFirst().orElseThrow(() -> new AssertionError(gdb.toString()));
        try (DapTestClient client = server.connect()) {
            JsonArray filters = body(client.initialize()).getAsJsonArray("exceptionBreakpointFilters");
            JsonObject offered = null;
            for (JsonElement f : filters) {
                if (f.getAsJsonObject().get("filter").getAsString().equals("rust_panic")) {
                    offered = f.getAsJsonObject();
                }
            }
            assertTrue(offered != null, filters.toString());
            assertEquals("Rust: on panic", offered.get("label").getAsString());
            client.ok("launch", Map.of("program", program.toString(), "args", args));
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of("rust_panic")));
            client.ok("configurationDone", Map.of());
            JsonObject stopped = body(client.event("stopped"));
            assertEquals("exception", stopped.get("reason").getAsString(), stopped.toString());
            assertEquals("Rust panic: " + message, stopped.get("description").getAsString());
            int tid = stopped.get("threadId").getAsInt();

            List<String> ours = ourFrames(client, tid);
            System.out.println("rust-gdb: " + gdb + "\nours:     " + ours);
            // the stop is in std::panicking::rust_panic (std's sources are not on this machine: its line is the disassembly's)
            assertEquals(gdb.get(0).split(" ")[0], ours.get(0).split(" ")[0]);
            assertTrue(ours.contains(gdbPanicker), gdbPanicker + " not in " + ours);

            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", tid)));
            assertEquals("rust_panic", info.get("exceptionId").getAsString());
            String where = gdbPanicker.replace(" ", " at ");
            assertEquals("Rust panic: " + message + " (in " + where + ")", info.get("description").getAsString());

            client.ok("continue", Map.of("threadId", tid));
            JsonObject exited = body(client.event("exited"));
            assertEquals(101, exited.get("exitCode").getAsInt());
            StringBuilder stderr = new StringBuilder();
            for (JsonObject m : client.history()) {
                if (isType(m, "event") && m.get("event").getAsString().equals("output") && "stderr".equals(body(m).get("category").getAsString())) {
                    stderr.append(body(m).get("output").getAsString());
                }
            }
            assertTrue(stderr.toString().contains("panicked at") && stderr.toString().contains(message), stderr.toString());
        }
    }

    @Test
    void withoutTheFilterAPanicRunsToExitCode101() throws Exception {
        Path program = program();
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", Map.of("program", program.toString()));
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of()));
            client.ok("configurationDone", Map.of());
            JsonObject exited = body(client.next(m -> isType(m, "event")
                    && (m.get("event").getAsString().equals("exited") || m.get("event").getAsString().equals("stopped")), "exited"));
            assertEquals(101, exited.get("exitCode").getAsInt(), exited.toString());
        }
    }
}
