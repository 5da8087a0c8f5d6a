package dev.quiesce.engine;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Registers;

/**
 * How a function call made in a stopped thread ({@link ThreadCall}) ended. Whichever it is, the
 * thread's registers (general and FP/vector) are back to what they were before the call when
 * the outcome is delivered.
 */
public sealed interface CallOutcome {
    /** The callee returned: its registers at the return, to read the result from. */
    record Returned(Registers registers, FpRegisters fp) implements CallOutcome {
    }

    /** The callee stopped (or was stopped) before returning, and the call was abandoned. */
    record Abandoned(Why why, long address, int signal) implements CallOutcome {
    }

    enum Why {
        /** It hit a breakpoint at {@code address} (one not of the call). */
        BREAKPOINT,
        /** It received {@code signal} at {@code address}; the signal was discarded. */
        SIGNAL,
        /** It ran for longer than the call's timeout and was interrupted at {@code address}. */
        TIMEOUT,
        /** The thread exited (or the process ended) inside the callee: nothing could be restored. */
        EXITED
    }
}
