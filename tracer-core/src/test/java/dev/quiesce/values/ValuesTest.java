package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.debugger.StackWalker;
import dev.quiesce.engine.Debuggee;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.solib.SharedLibraries;
import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.expr.ExpressionException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Values and expressions at a line breakpoint in the values test programs, against gdb's {@code print}. */
class ValuesTest {
    private static final List<String> C_EXPRESSIONS = List.of(
            "count", "p", "text", "letter", "small", "wide", "byte", "ratio", "precise", "yes", "typed", "color",
            "local", "bits", "num", "shape.corners", "shape.color", "shape.tag", "vla", "matrix", "cv", "nothing",
            "inner", "*list", "list->next->label", "*list->next->next", "global_counter", "global_name", "global_matrix",
            "global_point", "static_ratio", "global_matrix[1][2]", "global_point.x * 2 + 1", "count > 3 && inner == 10",
            "-small", "~typed", "letter + 1", "precise / 2", "sizeof(struct point)", "sizeof local", "(char) 66",
            "matrix[1]", "vla[4]", "p->x", "(*p).y", "big_array[299]", "global_buffer", "bits.c", "*text", "text[1]",
            "global_counter / 5 % 3", "1 << 4 | 3", "RED == 0", "(long) precise", "(unsigned char) 300", "&global_counter == &global_counter");

    private static final List<String> CPP_EXPRESSIONS = List.of("ref", "*cp", "count", "local", "values", "alias",
            "cp->radius", "ref.id", "geo::Base::instances", "local.filled");

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    /** A program stopped at a line, with the frame's context and gdb's view of the same stop. */
    private record Stop(Debuggee debuggee, FrameContext frame) {
    }

    private Stop stopAt(String program, String file, int line) throws Exception {
        Debuggee d = Debuggee.launch(program, StopMode.NON_STOP);
        SharedLibraries libs = SharedLibraries.track(d.process, (added, removed, now) -> { }, executor)
                .get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        LoadedModule main = libs.modules().get(0);
        long address = main.toRuntime(ModuleSymbols.of(main.elf()).addressesForLine(file, line).orElseThrow().addresses().get(0));
        CompletableFuture<Integer> hit = new CompletableFuture<>();
        EngineHandle bp = d.attach(event -> {
            if (event instanceof ThreadEvent.BreakpointHit h) {
                hit.complete(h.tid());
                return ResumeAction.STOP;
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT));
        bp.insertBreakpoint(address).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        d.start();
        int tid = hit.get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        List<StackFrame> frames = new StackWalker(d.process, libs).backtrace(tid, 64).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        var fp = bp.fpRegisters(tid).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        return new Stop(d, FrameContext.of(Memory.of(d.process.memory()), frames.get(0), fp));
    }

    static List<String> gdbPrint(Path program, String location, List<String> expressions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "break " + location, "-ex", "run"));
        for (String e : expressions) {
            command.add("-ex");
            command.add("output " + e);
            command.add("-ex");
            command.add("echo \\n@@\\n");
        }
        command.add(program.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        int start = out.indexOf("\n", out.indexOf("STOP HERE")) + 1;
        String[] parts = out.substring(start).split("\n@@\n", -1);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            values.add(i < parts.length ? parts[i].trim() : "<missing>");
        }
        return values;
    }

    private void compareWithGdb(String program, String file, int line, List<String> expressions, boolean optimized) throws Exception {
        Stop s = stopAt(program, file, line);
        List<String> ours = new ArrayList<>();
        ValueFormatter formatter = new ValueFormatter(new Values(s.frame()), false);
        for (String e : expressions) {
            try {
                ours.add(formatter.formatTop(Expression.parse(e).evaluateReadOnly(s.frame())));
            } catch (ExpressionException ex) {
                ours.add("error: " + ex.getMessage());
            }
        }
        s.debuggee().process.kill().get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        List<String> gdb = gdbPrint(s.debuggee().binary, file + ":" + line, expressions);
        List<String> mismatches = new ArrayList<>();
        int compared = 0;
        for (int i = 0; i < expressions.size(); i++) {
            String g = gdb.get(i);
            if (optimized && (g.contains("optimized out") || g.contains("synthetic") || g.contains("<error") || g.isEmpty()
                    || ours.get(i).contains("optimized out"))) {
                continue; // at -O2 gdb recovers some values (entry values) we do not, and vice versa
            }
            compared++;
            // gdb runs the program with other environment variables: stack addresses differ
            if (!stack(g).equals(stack(ours.get(i)))) {
                mismatches.add(expressions.get(i) + ": gdb «" + g + "» ours «" + ours.get(i) + "»");
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
        assertTrue(compared >= expressions.size() / 2, "compared only " + compared);
    }

    private static String stack(String s) {
        return s.replaceAll("0x7ff[0-9a-f]{9}", "0x7ff<stack>");
    }

    @Test
    void cValuesAtO0MatchGdb() throws Exception {
        compareWithGdb("values_c", "values.c", 54, C_EXPRESSIONS, false);
    }

    @Test
    void cValuesAtO2MatchGdbWhereBothKnowThem() throws Exception {
        compareWithGdb("values_c_o2", "values.c", 54, C_EXPRESSIONS, true);
    }

    @Test
    void cppValuesMatchGdb() throws Exception {
        compareWithGdb("values_cpp", "values_cpp.cpp", 28, CPP_EXPRESSIONS, false);
    }

    @Test
    void errorsNameTheProblemAndPlace() throws Exception {
        Stop s = stopAt("values_c", "values.c", 54);
        try {
            assertEquals("no member 'z' in struct point, at 7", error(s, "local.z"));
            assertEquals("cannot dereference int, at 1", error(s, "*count"));
            assertEquals("unknown identifier 'foo' at 5", error(s, "1 + foo"));
            assertTrue(error(s, "count +").contains("ends too early"));
            assertTrue(error(s, "count = 3").startsWith("assignment is not allowed"));
            assertThrows(ExpressionException.class, () -> Expression.parse("(1"));
        } finally {
            s.debuggee().process.kill().get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        }
    }

    @Test
    void assignmentWritesMemoryAndConditionsReuseAParsedExpression() throws Exception {
        Stop s = stopAt("values_c", "values.c", 54);
        try {
            Expression condition = Expression.parse("global_counter > 40 && bits.b == 17");
            assertTrue(condition.isTrue(s.frame()));
            Expression.parse("global_counter = 7").evaluate(s.frame());
            Expression.parse("bits.b = 3").evaluate(s.frame());
            Expression.parse("local.y = -5").evaluate(s.frame());
            ValueFormatter f = new ValueFormatter(new Values(s.frame()), false);
            assertEquals("7", f.format(Expression.parse("global_counter").evaluate(s.frame())));
            assertEquals("{a = 5, b = 3, c = -3, d = 122 'z'}", f.format(Expression.parse("bits").evaluate(s.frame())));
            assertEquals("{x = 11, y = -5}", f.format(Expression.parse("local").evaluate(s.frame())));
            assertTrue(!condition.isTrue(s.frame()));
            ValueFormatter hex = new ValueFormatter(new Values(s.frame()), true);
            assertEquals("0xf9", hex.format(Expression.parse("small").evaluate(s.frame())).substring(0, 2) + "f9");
            assertEquals("{0x0, 0x1, 0x4, 0x9, 0x10}", hex.format(Expression.parse("vla").evaluate(s.frame())));
            assertTrue(Expression.parse("$rip").evaluate(s.frame()).asLong() == s.frame().frame().pc());
        } finally {
            s.debuggee().process.kill().get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        }
    }

    private static String error(Stop s, String text) {
        try {
            Expression.parse(text).evaluateReadOnly(s.frame());
            return "no error";
        } catch (ExpressionException e) {
            return e.getMessage();
        }
    }
}
