package dev.quiesce.debugger;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.Registers;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Moves a stopped thread's pc to another statement of the function it is in (DAP goto, gdb's
 * {@code jump}). Only within the function: its frame (stack pointer, saved registers, locals)
 * is the one the new pc expects; anywhere else the frame would be wrong, so that is refused.
 */
public final class Goto {
    private Goto() {
    }

    /**
     * Refuses (IllegalArgumentException, a message for the user) or moves the pc; the thread stays
     * stopped. One submission to the tracer: the check that the thread is stopped and the move
     * happen with no event in between, so the thread cannot resume between them.
     */
    public static CompletableFuture<Void> jump(TracedProcess process, SharedLibraries libraries, int tid, long target) {
        return process.runOnTracer(() -> {
            if (!process.stoppedNow(tid)) {
                throw new IllegalArgumentException("thread " + tid + " is running: pause it before moving its pc");
            }
            EngineHandle handle = process.attachNow(event -> ResumeAction.RESUME, EnumSet.noneOf(EventType.class), tid);
            try {
                Registers regs = handle.registersNow(tid);
                String refusal = refusal(libraries, regs.rip(), target);
                if (refusal != null) {
                    throw new IllegalArgumentException(refusal);
                }
                // Inline on the tracer thread: the future is already complete (a failure rethrows here).
                handle.setRegisters(tid, regs.with(Registers.RIP, target)).getNow(null);
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            } finally {
                handle.detach();
            }
        });
    }

    /** Why the pc may not move from {@code pc} to {@code target}, or null when it may. */
    static String refusal(SharedLibraries libraries, long pc, long target) {
        Optional<Function> here = function(libraries, pc);
        Optional<Function> there = function(libraries, target);
        if (here.isEmpty()) {
            return "the thread is in code without debug information (0x" + Long.toHexString(pc) + "): goto moves the pc only within a function with line information";
        }
        if (there.isEmpty() || there.get().dieOffset() != here.get().dieOffset()
                || !libraries.moduleAt(pc).equals(libraries.moduleAt(target))) {
            return "cannot move the pc out of " + name(here.get()) + (there.isPresent() ? " into " + name(there.get()) : "")
                    + ": goto stays within the function the thread is in (its frame would not fit another one)";
        }
        return null;
    }

    private static Optional<Function> function(SharedLibraries libraries, long address) {
        Optional<LoadedModule> m = libraries.moduleAt(address);
        return m.flatMap(module -> ModuleSymbols.of(module.elf()).functionAt(module.toLinkTime(address)));
    }

    private static String name(Function f) {
        return f.qualifiedName() != null ? f.qualifiedName() : f.name();
    }
}
