package dev.quiesce.values;

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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** A test program stopped at a line breakpoint, with the innermost frame's context for values. */
record ProgramStop(Debuggee debuggee, FrameContext frame) implements AutoCloseable {

    static ProgramStop at(String program, String file, int line, Executor executor) throws Exception {
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
        }, java.util.EnumSet.of(EventType.BREAKPOINT));
        bp.insertBreakpoint(address).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        d.start();
        int tid = hit.get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        List<StackFrame> frames = new StackWalker(d.process, libs).backtrace(tid, 64).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        var fp = bp.fpRegisters(tid).get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
        long fsBase = d.process.registers(tid).get(Debuggee.TIMEOUT, TimeUnit.SECONDS).fsBase();
        return new ProgramStop(d, FrameContext.of(Memory.of(d.process.memory()), frames.get(0), fp)
                .inProcess(libs.modules(), java.util.OptionalLong.of(fsBase)));
    }

    @Override
    public void close() throws Exception {
        debuggee.process.kill().get(Debuggee.TIMEOUT, TimeUnit.SECONDS);
    }
}
