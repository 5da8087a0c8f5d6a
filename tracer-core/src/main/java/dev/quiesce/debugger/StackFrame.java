package dev.quiesce.debugger;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.SourcePosition;
import dev.quiesce.symbols.unwind.RegisterSet;
import java.util.Optional;

/**
 * One frame of a thread's stack at source level. A physical frame whose pc is in inlined code
 * gives several, all with the same pc and CFA: {@code inlineDepth} 0 is the real function, each
 * inlined function one more than its caller. The CFA with the depth identifies a frame across
 * stops, for step plans. {@code registers} are the frame's registers as unwound (callee-saved
 * ones recovered; others unknown above frame 0), for reading its variables.
 */
public record StackFrame(int level, long pc, long cfa, int inlineDepth, String function,
                         Optional<SourcePosition> source, Optional<LoadedModule> module, Kind kind,
                         RegisterSet registers) {
    public enum Kind {
        /** A frame of real code. */
        NORMAL,
        /** A function inlined into the frame below it in the list. */
        INLINED,
        /** The kernel's signal return trampoline: below it runs a signal handler. */
        SIGNAL_TRAMPOLINE
    }
}
