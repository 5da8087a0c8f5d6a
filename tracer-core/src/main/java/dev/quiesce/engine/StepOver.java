package dev.quiesce.engine;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One thread executing the instruction under a breakpoint, gdbserver's way: every other thread
 * of the process is held (PTRACE_INTERRUPT, suspend count), the int3 is lifted, the thread
 * single-steps, the int3 goes back, the others are released. No other thread can run past the
 * address meanwhile, so none misses the breakpoint (ARCHITECTURE.md, "Stepping over a
 * breakpoint while other threads run"). Cost: O(running threads) per hit.
 */
final class StepOver {
    final TracedThread thread;
    final long address;
    /** Threads held for the duration; each got suspendCount++. */
    final Set<TracedThread> held = new LinkedHashSet<>();
    /** The int3 is lifted and the thread is stepping. */
    boolean stepping;

    StepOver(TracedThread thread, long address) {
        this.thread = thread;
        this.address = address;
    }

    boolean othersQuiet() {
        for (TracedThread t : held) {
            if (t.running()) {
                return false;
            }
        }
        return true;
    }
}
