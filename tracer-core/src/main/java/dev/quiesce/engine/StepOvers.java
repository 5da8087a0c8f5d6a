package dev.quiesce.engine;

import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;

/**
 * Runs the step-overs of one process, one at a time (see {@link StepOver} for the method).
 * While one is in progress every other thread is held; a thread that needs one meanwhile is
 * held too and starts its own when it is released. Tracer thread only.
 */
final class StepOvers {
    private final ProcessCore process;
    private StepOver current;

    StepOvers(ProcessCore process) {
        this.process = process;
    }

    boolean stepping() {
        return current != null && current.stepping;
    }

    /** A thread born during a step-over is held with the others (it has run nothing yet). */
    void holdNewThread(TracedThread t) {
        if (current != null) {
            t.suspendCount++;
            current.held.add(t);
        }
    }

    /**
     * A SINGLESTEP engine of {@code t} gets its Stepped from this step too: its action, not the
     * step-over, decides who hears of it ({@link StopHandler}).
     */
    void begin(TracedThread t, long address) {
        if (current != null) {
            return; // held by the current one; settled again when it ends
        }
        StepOver so = new StepOver(t, address);
        current = so;
        t.steppingOver = true;
        for (TracedThread other : process.threads.values()) {
            if (other != t && other.live()) {
                other.suspendCount++;
                so.held.add(other);
                if (other.running() && !other.interruptSent) {
                    process.tracerOwned.interrupt(other);
                }
            }
        }
        progress();
    }

    /** Once every held thread has stopped: lift the int3 and step the thread. */
    void progress() {
        StepOver so = current;
        if (so == null || so.stepping || !so.othersQuiet()) {
            return;
        }
        so.stepping = true;
        process.breakpoints.lift(so.address);
        process.tracerOwned.restart(so.thread, ResumeAction.SINGLESTEP);
    }

    /**
     * The stepping thread stopped (step done, a signal, anything): put the int3 back, release the
     * others. Returns true when the instruction was executed (the pc moved on).
     */
    boolean finish(TracedThread t) {
        StepOver so = current;
        if (so == null || so.thread != t || !so.stepping) {
            return false;
        }
        current = null;
        t.steppingOver = false;
        // Stopped before the instruction ran (a pending INTERRUPT trap fires first): still at the
        // breakpoint, and its hit was already reported, so the next restart steps over again.
        long pc = Ptrace.peekUser(t.tid, Registers.offset(Registers.RIP));
        t.stoppedAtBreakpoint = pc == so.address ? so.address : -1;
        process.breakpoints.restore(so.address);
        release(so);
        return pc != so.address;
    }

    /** A thread died: it no longer counts as held; if it was the stepping one, end its step-over. */
    void threadGone(TracedThread t) {
        StepOver so = current;
        if (so == null) {
            return;
        }
        so.held.remove(t);
        if (so.thread == t) {
            current = null;
            t.steppingOver = false;
            process.breakpoints.restore(so.address);
            release(so);
        } else {
            progress();
        }
    }

    private void release(StepOver so) {
        for (TracedThread other : so.held) {
            other.suspendCount--;
        }
        for (TracedThread other : so.held) {
            if (other.alive()) {
                process.tracerOwned.settle(other);
            }
        }
    }

    String describe() {
        return current == null ? ""
                : String.format(" stepping over 0x%x by %d (stepping=%s)", current.address, current.thread.tid, current.stepping);
    }
}
