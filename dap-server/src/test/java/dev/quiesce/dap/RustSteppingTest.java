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

    /** Launches {@code program} with {@code extra} launch arguments and stops at {@code line} of shapes.rs. */
    private static int stopAt(DapTestClient client, Path program, int line, Map<String, Object> extra) {
        client.initialize();
        Map<String, Object> launch = new java.util.HashMap<>(extra);
        launch.put("program", program.toString());
        client.ok("launch", launch);
        client.event("process");
        client.ok("setBreakpoints", Map.of("source", Map.of("path", RustValuesTest.source().toString()),
                "breakpoints", List.of(Map.of("line", line))));
        client.ok("configurationDone", Map.of());
        int tid = body(client.event("stopped")).get("threadId").getAsInt();
        // the line's breakpoint off: line 75 also has code in the closure (its end), which would stop a step there
        client.ok("setBreakpoints", Map.of("source", Map.of("path", RustValuesTest.source().toString()), "breakpoints", List.of()));
        return tid;
    }

    private static JsonObject step(DapTestClient client, int tid, String request) {
        client.ok(request, Map.of("threadId", tid));
        assertEquals("step", body(client.event("stopped")).get("reason").getAsString());
        return body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
    }

    private static String where(JsonObject frame) {
        return frame.get("name").getAsString() + ":" + (frame.has("source") ? frame.get("line").getAsInt() : -1);
    }

    /**
     * std's sources are not on this machine (its DWARF names /rustc/<commit>/library/...): stepIn on
     * a line whose only calls are into std (str::parse, Result::unwrap_or) goes over them, to the
     * line rust-gdb's "next" stops on; rust-gdb's "step" enters core::str::parse there instead.
     */
    @Test
    void stepInOnALineCallingOnlyStdStopsOnTheNextUserLineAsRustGdbsNext() throws Exception {
        Path program = RustValuesTest.shapes();
        int line = RustValuesTest.line("std call");
        List<Integer> want = gdbLines(program, line, List.of("next", "next"));
        String gdbStep = Gdb.run(List.of(RustValuesTest.rustBin().resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                "break shapes.rs:" + line, "run", "step");
        org.junit.jupiter.api.Assertions.assertTrue(gdbStep.contains("core::str::{impl#0}::parse<i32>"), gdbStep);
        List<String> ours = ourStops(program, line, List.of("stepIn", "stepIn"));
        System.out.println("rust-gdb next: " + want + "\nours (stepIn): " + ours);
        assertEquals(List.of("shapes::through_std:" + want.get(0), "shapes::through_std:" + want.get(1)), ours);
    }

    /**
     * stepIn on a line calling a user closure through std's iterator adaptors (iter, map, sum, all
     * without sources) stops in the closure, as rust-gdb's breakpoint there names it; a stepIn at
     * the closure's end goes through std back into the closure's next call (v = 20, rust-gdb's second hit).
     */
    @Test
    void stepInThroughAnIteratorAdaptorStopsInTheClosure() throws Exception {
        Path program = RustValuesTest.shapes();
        int line = RustValuesTest.line("adaptor");
        int body = RustValuesTest.line("mapped");
        String gdb = Gdb.run(List.of(RustValuesTest.rustBin().resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                "break shapes.rs:" + body, "run", "print *v", "continue", "print *v");
        Matcher at = Pattern.compile("Breakpoint 1, (\\S+) \\(.*\\) at .*shapes.rs:(\\d+)").matcher(gdb);
        org.junit.jupiter.api.Assertions.assertTrue(at.find(), gdb);
        List<String> printed = Gdb.printed(gdb);
        try (DapTestClient client = server.connect()) {
            int tid = stopAt(client, program, line, Map.of());
            JsonObject top = step(client, tid, "stepIn");
            assertEquals(at.group(1) + ":" + at.group(2), where(top));
            assertEquals(printed.get(0), RustValuesTest.evaluate(client, top.get("id").getAsInt(), "*v"));
            // stepIn at "v + n" (its only call is std's Add::add), at the closure's end, then out
            // through std's fold and back into the closure's next call
            String end = where(step(client, tid, "stepIn"));
            top = step(client, tid, "stepIn");
            List<String> next = List.of(end, where(top));
            System.out.println("after the closure's line: " + next);
            assertEquals(List.of(at.group(1) + ":" + (body + 1), at.group(1) + ":" + body), next);
            assertEquals(printed.get(1), RustValuesTest.evaluate(client, top.get("id").getAsInt(), "*v"));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /**
     * With a sourceMap that makes std's file readable (/rustc/<commit> mapped to a directory
     * holding library/core/src/str/mod.rs), stepIn enters core::str::parse as rust-gdb's step does,
     * at the same line, shown from the mapped file.
     */
    @Test
    void withStdSourcesMappedStepInEntersStdAsRustGdb(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path program = RustValuesTest.shapes();
        int line = RustValuesTest.line("std call");
        String gdb = Gdb.run(List.of(RustValuesTest.rustBin().resolve("rust-gdb").toString()), program.getParent(), program, List.of(),
                "break shapes.rs:" + line, "run", "step");
        Matcher in = Pattern.compile("(\\S+) \\(.*\\) at (/rustc/[0-9a-f]+)/(library/\\S+):(\\d+)").matcher(gdb);
        org.junit.jupiter.api.Assertions.assertTrue(in.find(), gdb);
        Path file = dir.resolve(in.group(3));
        java.nio.file.Files.createDirectories(file.getParent());
        java.nio.file.Files.writeString(file, "// stands in for rust-src's " + in.group(3) + "\n");
        try (DapTestClient client = server.connect()) {
            int tid = stopAt(client, program, line, Map.of("sourceMap", Map.of(in.group(2), dir.toString())));
            JsonObject top = step(client, tid, "stepIn");
            assertEquals(in.group(1) + ":" + in.group(4), where(top));
            assertEquals(file.toString(), top.getAsJsonObject("source").get("path").getAsString());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    /** A step-in target chosen from stepInTargets is entered even in std: the user asked for that call. */
    @Test
    void aChosenStepInTargetInStdIsEntered() throws Exception {
        Path program = RustValuesTest.shapes();
        int line = RustValuesTest.line("std call");
        try (DapTestClient client = server.connect()) {
            int tid = stopAt(client, program, line, Map.of());
            int frame = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject()
                    .get("id").getAsInt();
            com.google.gson.JsonArray targets = body(client.ok("stepInTargets", Map.of("frameId", frame))).getAsJsonArray("targets");
            assertEquals(1, targets.size(), targets.toString());
            String label = targets.get(0).getAsJsonObject().get("label").getAsString();
            assertEquals("core::str::{impl#0}::parse<i32>", label);
            client.ok("stepIn", Map.of("threadId", tid, "targetId", targets.get(0).getAsJsonObject().get("id").getAsInt()));
            assertEquals("step", body(client.event("stopped")).get("reason").getAsString());
            JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
            assertEquals(label, top.get("name").getAsString());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
