package dev.quiesce.symbols.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ExitStatus;
import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.SignalPolicy;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.TestPrograms;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Backtraces of real stopped processes, against gdb's. */
class BacktraceTest {
    private static final long TIMEOUT = 60;

    /** What one breakpoint hit showed: our frames and their names. */
    private record Trace(List<Frame> frames, List<Set<String>> names) {
        String describe() {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < frames.size(); i++) {
                b.append(frames.get(i)).append(' ').append(names.get(i)).append('\n');
            }
            return b.toString();
        }
    }

    @Test
    void throughASignalHandlerAndItsTrampolineBackToStart() throws Exception {
        Trace t = backtrace("sig_frames", "handler_work", 1);
        assertMatchesGdb(t, GdbFrames.at(TestPrograms.path("sig_frames"), "handler_work"));
        int trampoline = indexOf(t, "__restore_rt");
        assertEquals(2, trampoline, t.describe());
        assertTrue(t.frames().get(trampoline).signalTrampoline(), t.describe());
        assertEquals(UnwindMethod.CFI, t.frames().get(trampoline + 1).method(), "glibc's S-augmented CFI describes the ucontext");
        assertTrue(indexOf(t, "raise_it") < indexOf(t, "main"));
        assertTrue(t.names().get(t.frames().size() - 1).contains("_start"), t.describe());
    }

    @Test
    void throughLibcQsortBackToMain() throws Exception {
        Trace t = backtrace("sig_frames", "compare_ints", 1);
        assertMatchesGdb(t, GdbFrames.at(TestPrograms.path("sig_frames"), "compare_ints"));
        assertTrue(t.names().stream().anyMatch(n -> n.contains("msort_with_tmp")), t.describe());
    }

    @Test
    void recursionGivesOneFramePerCallWithDistinctCfas() throws Exception {
        Trace t = backtrace("sym_c", "factorial", 4);
        assertMatchesGdb(t, GdbFrames.at(TestPrograms.path("sym_c"), "factorial if n == 2"));
        for (int i = 0; i < 4; i++) {
            assertTrue(t.names().get(i).contains("factorial"), t.describe());
        }
        assertTrue(t.names().get(4).contains("main"), t.describe());
        assertEquals(4, t.frames().subList(0, 4).stream().mapToLong(Frame::cfa).distinct().count(), t.describe());
        for (int i = 1; i < t.frames().size(); i++) {
            assertTrue(Long.compareUnsigned(t.frames().get(i).cfa(), t.frames().get(i - 1).cfa()) > 0, t.describe());
        }
    }

    private static int indexOf(Trace t, String name) {
        for (int i = 0; i < t.names().size(); i++) {
            if (t.names().get(i).contains(name)) {
                return i;
            }
        }
        return -1;
    }

    /** Same physical frames as gdb: same pcs, and gdb's function name among our symbol's aliases. */
    private static void assertMatchesGdb(Trace t, List<GdbFrames.GdbFrame> gdb) {
        List<String> ours = new ArrayList<>();
        List<String> theirs = new ArrayList<>();
        for (int i = 0; i < Math.max(gdb.size(), t.frames().size()); i++) {
            if (i < gdb.size()) {
                theirs.add(Long.toHexString(gdb.get(i).pc()) + " " + gdb.get(i).name());
            }
            if (i < t.frames().size()) {
                Set<String> names = t.names().get(i);
                String gdbName = i < gdb.size() ? gdb.get(i).name() : "";
                // gdb stops after the prologue; we stop at the symbol: frame 0 compares by name only.
                long pc = i == 0 && i < gdb.size() ? gdb.get(0).pc() : t.frames().get(i).pc();
                ours.add(Long.toHexString(pc) + " "
                        + (names.contains(gdbName) ? gdbName : String.join("|", names)));
            }
        }
        assertEquals(theirs, ours, t.describe());
    }

    /** Runs the program to the {@code hit}-th hit of the function and unwinds the stopped thread. */
    private static Trace backtrace(String program, String function, int hit) throws Exception {
        Path path = TestPrograms.path(program);
        LaunchSpec spec = new LaunchSpec(path, List.of(), path.getParent(), System.getenv(), true, StopMode.NON_STOP);
        TracedProcess process = Tracer.shared().launch(spec, new ProcessListener() { }, (s, text) -> { })
                .get(TIMEOUT, TimeUnit.SECONDS);
        // SIGUSR1 goes straight to the program's handler, as gdb's "handle SIGUSR1 nostop pass".
        process.signalPolicy().set(10, new SignalPolicy.Handling(false, false, true));
        MemoryReader memory = MemoryReader.of(process.memory());
        ProcessModules atExec = new ProcessModules(process.pid(), ElfCache.shared(), memory);
        Module exe = atExec.moduleAt(atExec.modules().stream().filter(m -> m.name().equals(path.toString()))
                .findFirst().orElseThrow().start()).orElseThrow();
        long address = exe.bias() + exe.elf().symbols().stream()
                .filter(s -> s.name().equals(function) && s.isFunction()).mapToLong(ElfSymbol::value).findFirst().orElseThrow();
        AtomicInteger hits = new AtomicInteger();
        AtomicReference<EngineHandle> self = new AtomicReference<>();
        AtomicReference<Object> result = new AtomicReference<>();
        EngineHandle engine = process.attach(event -> {
            if (hits.incrementAndGet() == hit) {
                try {
                    RegisterSet regs = RegisterSet.of(self.get().registers(event.tid()).join());
                    ProcessModules modules = new ProcessModules(process.pid(), ElfCache.shared(), memory);
                    List<Frame> frames = new Unwinder(memory, modules).unwind(regs);
                    FrameNames names = new FrameNames();
                    List<Set<String>> frameNames = new ArrayList<>();
                    for (Frame f : frames) {
                        // Callers by their call instruction; a trampoline and its interrupted frame by their exact pc.
                        boolean exact = f.index() == 0 || f.signalTrampoline() || frames.get(f.index() - 1).signalTrampoline();
                        frameNames.add(names.at(modules, exact ? f.pc() : f.pc() - 1));
                    }
                    result.set(new Trace(frames, frameNames));
                } catch (RuntimeException e) {
                    result.set(e);
                }
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).get(TIMEOUT, TimeUnit.SECONDS);
        self.set(engine);
        engine.insertBreakpoint(address).get(TIMEOUT, TimeUnit.SECONDS);
        process.start().get(TIMEOUT, TimeUnit.SECONDS);
        assertEquals(ExitStatus.exited(0), process.exited().get(TIMEOUT, TimeUnit.SECONDS));
        if (result.get() instanceof RuntimeException e) {
            throw e;
        }
        assertTrue(result.get() != null, "the breakpoint at " + function + " was not hit " + hit + " times");
        return (Trace) result.get();
    }
}
