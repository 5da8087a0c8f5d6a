package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Stepping a Rust for loop (issue 15): the lines 'next' stops on equal rust-gdb's, breakpoint hits included. */
class RustSteppingTest extends DapTestBase {
    private static final int NEXTS = 8;

    @Test
    void nextThroughAForLoopStopsOnRustGdbsLines() throws Exception {
        Path program = RustValuesTest.shapes();
        Path bin = RustValuesTest.rustBin();
        int line = RustValuesTest.line("loop");
        List<String> commands = new ArrayList<>(List.of("break shapes.rs:" + line, "run"));
        for (int i = 0; i < NEXTS; i++) {
            commands.add("next");
        }
        String gdb = Gdb.run(List.of(bin.resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                commands.toArray(String[]::new));
        // after the first stop, each next prints "N\t<source>" (a breakpoint hit prints its banner, then the same)
        List<Integer> want = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\d+)\\t").matcher(gdb.substring(gdb.indexOf("Breakpoint 1,")));
        while (m.find()) {
            want.add(Integer.parseInt(m.group(1)));
        }
        want.remove(0); // the breakpoint's own stop
        assertEquals(NEXTS, want.size(), gdb);
        try (DapTestClient client = server.connect()) {
            int tid = RustValuesTest.stopAt(client, program, line).get("threadId").getAsInt();
            List<Integer> ours = new ArrayList<>();
            for (int i = 0; i < NEXTS; i++) {
                client.ok("next", Map.of("threadId", tid));
                JsonObject stopped = body(client.event("stopped"));
                JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
                ours.add(top.has("line") ? top.get("line").getAsInt() : -1);
                System.out.println("next " + i + ": " + stopped.get("reason").getAsString() + " at " + top.get("name").getAsString() + ":" + ours.get(i)
                        + " " + top.get("instructionPointerReference") + " " + top.get("source"));
            }
            System.out.println("rust-gdb: " + want + "\nours:     " + ours);
            assertEquals(want, ours);
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /** gdb commands and their DAP requests, in the order run. */
    private static final List<String[]> MIXED = List.of(new String[] {"step", "stepIn"}, new String[] {"step", "stepIn"},
            new String[] {"finish", "stepOut"}, new String[] {"next", "next"}, new String[] {"next", "next"},
            new String[] {"next", "next"}, new String[] {"step", "stepIn"});

    @Test
    void stepInToAreaStepOutAndOnStopWhereRustGdbDoes() throws Exception {
        Path program = RustValuesTest.shapes();
        Path bin = RustValuesTest.rustBin();
        int line = RustValuesTest.line("loop");
        List<String> commands = new ArrayList<>(List.of("break shapes.rs:" + line, "run"));
        MIXED.forEach(c -> commands.add(c[0]));
        String gdb = Gdb.run(List.of(bin.resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                commands.toArray(String[]::new));
        List<Integer> want = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\d+)\\t").matcher(gdb.substring(gdb.indexOf("Breakpoint 1,")));
        while (m.find()) {
            want.add(Integer.parseInt(m.group(1)));
        }
        want.remove(0);
        assertEquals(MIXED.size(), want.size(), gdb);
        try (DapTestClient client = server.connect()) {
            int tid = RustValuesTest.stopAt(client, program, line).get("threadId").getAsInt();
            List<Integer> ours = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String[] c : MIXED) {
                client.ok(c[1], Map.of("threadId", tid));
                client.event("stopped");
                JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
                ours.add(top.has("line") ? top.get("line").getAsInt() : -1);
                names.add(top.get("name").getAsString());
            }
            System.out.println("rust-gdb: " + want + "\nours:     " + ours + " " + names);
            assertEquals(want, ours);
            assertEquals(List.of("shapes::area", "shapes::area", "shapes::total", "shapes::total", "shapes::total", "shapes::total",
                    "shapes::area"), names);
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
