package dev.quiesce.debugger;

import dev.quiesce.engine.ProgramState;
import dev.quiesce.linux.Registers;
import dev.quiesce.symbols.CodeFrame;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.solib.SharedLibraries;
import dev.quiesce.symbols.unwind.ElfCache;
import dev.quiesce.symbols.unwind.Frame;
import dev.quiesce.symbols.unwind.MemoryReader;
import dev.quiesce.symbols.unwind.Module;
import dev.quiesce.symbols.unwind.ModuleLookup;
import dev.quiesce.symbols.unwind.ProcessModules;
import dev.quiesce.symbols.unwind.RegisterSet;
import dev.quiesce.symbols.unwind.Unwinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backtraces of a process's threads: unwinds with CFI (frame pointers as a fallback) through
 * the modules the link map lists, then names each frame from its module's symbols, inlined
 * functions as frames of their own. The thread must be stopped; the walk reads registers once
 * and then memory only, off the tracer thread.
 */
public final class StackWalker {
    private final ProgramState process;
    private final SharedLibraries libraries;
    private final Map<LoadedModule, Module> unwindModules = new ConcurrentHashMap<>();
    private volatile ProcessModules others;
    /** Reused by {@link #innermost}, which runs at every hit of a conditional breakpoint. */
    private volatile Unwinder innermostUnwinder;

    /** {@code process}: a traced process, or a core file's read-only target. */
    public StackWalker(ProgramState process, SharedLibraries libraries) {
        this.process = process;
        this.libraries = libraries;
    }

    /** The stack of a stopped thread, innermost frame first, at most {@code maxFrames} physical frames. */
    public CompletableFuture<List<StackFrame>> backtrace(int tid, int maxFrames) {
        // The registers come from the tracer thread; the walk reads symbols (a library's DWARF on
        // first use) and must not hold that thread up: it runs on the common pool.
        return process.registers(tid).thenApplyAsync(regs -> walk(regs, maxFrames));
    }

    /** The stack from these registers (a thread stopped, or one in a core). Reads memory only; any thread. */
    public List<StackFrame> walk(Registers registers, int maxFrames) {
        MemoryReader memory = MemoryReader.of(process.memory());
        Unwinder unwinder = new Unwinder(memory, code(), lookup(memory));
        List<Frame> physical = unwinder.unwind(RegisterSet.of(registers), maxFrames);
        List<StackFrame> out = new ArrayList<>();
        boolean exact = true;
        for (Frame f : physical) {
            Optional<LoadedModule> module = libraries.moduleAt(f.pc());
            if (f.signalTrampoline()) {
                out.add(new StackFrame(out.size(), f.pc(), f.cfa(), 0, "<signal handler called>", Optional.empty(),
                        module, StackFrame.Kind.SIGNAL_TRAMPOLINE, f.registers()));
            } else if (module.isEmpty()) {
                out.add(new StackFrame(out.size(), f.pc(), f.cfa(), 0, "??", Optional.empty(), module, StackFrame.Kind.NORMAL,
                        f.registers()));
            } else {
                LoadedModule m = module.get();
                List<CodeFrame> code = ModuleSymbols.of(m.elf()).framesAt(m.toLinkTime(f.pc()), exact);
                for (int depth = 0; depth < code.size(); depth++) {
                    CodeFrame c = code.get(depth);
                    out.add(new StackFrame(out.size(), f.pc(), f.cfa(), code.size() - 1 - depth, c.function(), c.source(),
                            module, c.inlined() ? StackFrame.Kind.INLINED : StackFrame.Kind.NORMAL, f.registers()));
                }
            }
            exact = f.signalTrampoline(); // a return address, but the interrupted pc above a signal frame
        }
        return out;
    }

    /**
     * The physical frames (no inlined ones) of a thread whose registers are known, innermost
     * first: pc and CFA of each, for step plans. Reads memory only; any thread.
     */
    public List<Frame> physicalFrames(Registers registers, int maxFrames) {
        MemoryReader memory = MemoryReader.of(process.memory());
        return new Unwinder(memory, code(), lookup(memory)).unwind(RegisterSet.of(registers), maxFrames);
    }

    /**
     * The innermost frame of a stopped thread, for evaluating an expression there (breakpoint
     * conditions, at every hit): pc, CFA and registers, without naming it or reading its line.
     * Its inline depth is the innermost one ({@link Integer#MAX_VALUE}: the deepest scope).
     */
    public StackFrame innermost(Registers registers) {
        RegisterSet regs = RegisterSet.of(registers);
        Unwinder unwinder = innermostUnwinder;
        if (unwinder == null) {
            // Reads through process.memory() each time: the memory file is reopened after exec.
            MemoryReader memory = (address, buffer) -> process.memory().read(address, buffer);
            innermostUnwinder = unwinder = new Unwinder(memory, code(), lookup(memory));
        }
        Unwinder u = unwinder;
        long cfa = u.innermostCfa(regs).orElseGet(() -> u.unwind(regs, 1).get(0).cfa());
        return new StackFrame(0, regs.pc(), cfa, Integer.MAX_VALUE, "", Optional.empty(), libraries.moduleAt(regs.pc()),
                StackFrame.Kind.NORMAL, regs);
    }

    /** Instruction bytes as the program has them (no int3 of ours), for the unwinder's code checks. */
    private MemoryReader code() {
        return (address, buffer) -> {
            try {
                byte[] bytes = process.readMemoryNow(address, buffer.length);
                System.arraycopy(bytes, 0, buffer, 0, bytes.length);
                return bytes.length;
            } catch (RuntimeException e) {
                return 0;
            }
        };
    }

    /** Modules from the link map; anything else mapped (the vDSO) from /proc/PID/maps. */
    private ModuleLookup lookup(MemoryReader memory) {
        return address -> {
            Optional<LoadedModule> m = libraries.moduleAt(address);
            if (m.isPresent()) {
                LoadedModule lm = m.get();
                return Optional.of(unwindModules.computeIfAbsent(lm, k -> new Module(k.name(), k.start(), k.end(), k.bias(),
                        k.elf(), () -> ElfCache.shared().cfi(k.elf()))));
            }
            ProcessModules rest = others;
            if (rest == null) {
                others = rest = new ProcessModules(process.pid(), ElfCache.shared(), memory);
            }
            return rest.moduleAt(address);
        };
    }
}
