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

/**
 * Stepping Rust (issue 15): through a for loop, into and out of a function, over lines with
 * {@code ?} (its early return included), into a closure: the lines each step stops on equal
 * rust-gdb's at the same steps, breakpoint hits included.
 */
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

    /** rust-gdb's line after each of {@code gdbCommands}, run from a breakpoint at {@code line}. */
    private static List<Integer> gdbLines(Path program, int line, List<String> gdbCommands) throws Exception {
        List<String> commands = new ArrayList<>(List.of("break shapes.rs:" + line, "run"));
        commands.addAll(gdbCommands);
        String gdb = Gdb.run(List.of(RustValuesTest.rustBin().resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                commands.toArray(String[]::new));
        List<Integer> want = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^(\\d+)\\t").matcher(gdb.substring(gdb.indexOf("Breakpoint 1,")));
        while (m.find()) {
            want.add(Integer.parseInt(m.group(1)));
        }
        want.remove(0);
        assertEquals(gdbCommands.size(), want.size(), gdb);
        return want;
    }

    /** Our top frame's "function:line" after each DAP step request, from a breakpoint at {@code line}. */
    private List<String> ourStops(Path program, int line, List<String> requests) throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = RustValuesTest.stopAt(client, program, line).get("threadId").getAsInt();
            List<String> out = new ArrayList<>();
            for (String r : requests) {
                client.ok(r, Map.of("threadId", tid));
                client.event("stopped");
                JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
                out.add(top.get("name").getAsString() + ":" + (top.has("line") ? top.get("line").getAsInt() : -1));
            }
            client.ok("disconnect", Map.of("terminateDebuggee", true));
            return out;
        }
    }

    private static List<Integer> lines(List<String> stops) {
        return stops.stream().map(s -> Integer.parseInt(s.substring(s.lastIndexOf(':') + 1))).toList();
    }

    @Test
    void nextOverLinesWithTheQuestionMarkOperatorStopsWhereRustGdbDoes() throws Exception {
        Path program = RustValuesTest.shapes();
        int line = RustValuesTest.line("question");
        List<String> nexts = java.util.Collections.nCopies(8, "next");
        List<Integer> want = gdbLines(program, line, nexts);
        List<String> ours = ourStops(program, line, nexts);
        System.out.println("rust-gdb: " + want + "\nours:     " + ours);
        assertEquals(want, lines(ours));
        // the second call's parse(b)? returns early (Err): from its line straight to the function's end, then main's next line
        int end = want.get(want.size() - 2);
        assertEquals("shapes::parse_sum:" + end, ours.get(ours.size() - 2));
        assertEquals("shapes::main", ours.get(ours.size() - 1).substring(0, ours.get(ours.size() - 1).lastIndexOf(':')));
    }

    @Test
    void stepInToAClosureAndOnIntoFunctionsStopsWhereRustGdbDoes() throws Exception {
        Path program = RustValuesTest.shapes();
        int line = RustValuesTest.line("closure");
        List<String> gdbSteps = List.of("step", "next", "next", "next", "step", "step");
        List<Integer> want = gdbLines(program, line, gdbSteps);
        List<String> ours = ourStops(program, line, gdbSteps.stream().map(c -> c.equals("step") ? "stepIn" : c).toList());
        System.out.println("rust-gdb: " + want + "\nours:     " + ours);
        assertEquals(want, lines(ours));
        assertEquals(RustValuesTest.line("in closure"), want.get(0));
        List<String> names = ours.stream().map(s -> s.substring(0, s.lastIndexOf(':'))).toList();
        // rust-gdb: shapes::main::{closure#2} (v=40) at shapes.rs:127 ... shapes::parse (text="2") at shapes.rs:46
        assertEquals(List.of("shapes::main::{closure#2}", "shapes::main::{closure#2}", "shapes::main::{closure#2}", "shapes::main",
                "shapes::parse_sum", "shapes::parse"), names);
    }
}
