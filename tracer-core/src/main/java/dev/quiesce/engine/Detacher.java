package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.WaitStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Detaching from a process so that it runs on as if it had never been traced (PRODUCT.md,
 * "Attach request"): every thread is stopped, every trap the kernel queued for a thread but
 * has not reported yet is made to surface and is settled (below), every int3 byte is restored,
 * and each thread is detached with the signal it was about to receive. PTRACE_DETACH clears
 * the trap flag itself. Tracer thread only.
 *
 * <p>Queued traps: a PTRACE_INTERRUPT stop is reported before the signals already queued (the
 * kernel's get_signal() runs the job-control trap first), so a thread interrupted just after it
 * executed one of our int3 bytes, or just after a single-step, stops with that SIGTRAP still
 * pending and its pc one past the int3. Detached so, it would take the SIGTRAP untraced and
 * dump core. Worse, the process would not even end: the dying thread's SIGKILL takes the
 * threads not yet detached out of their ptrace-stops (PTRACE_DETACH then fails with ESRCH),
 * and with PTRACE_O_TRACEEXIT each stops again at PTRACE_EVENT_EXIT for a tracer that had
 * forgotten it, so the process hangs there for good. Hence: traps surface first, and a thread
 * whose PTRACE_DETACH fails while it is still ours is kept until its next stop or its exit.
 */
final class Detacher {
    private static final Logger LOG = Logger.getLogger(Detacher.class.getName());
    private static final long PC = Registers.offset(Registers.RIP);
    /** si_code of a single-step trap, and of a step over a syscall instruction (ARCHITECTURE.md fact 7). */
    private static final int TRAP_BRKPT = 1;
    private static final int TRAP_TRACE = 2;
    private static final int TRAP_HWBKPT = 4;
    /**
     * Runs per thread to make a queued SIGTRAP surface. One is enough (the SIGTRAP is the next
     * signal dequeued); a second covers an INTERRUPT trap that was still pending; more would
     * mean the SIGTRAP is not going to be dequeued, and the thread is detached with it queued.
     */
    private static final int MAX_SURFACING_RUNS = 3;

    private final ProcessCore process;
    private CompletableFuture<Void> result;
    /** Breakpoints restored and PTRACE_DETACH issued: a stop from now on is only detached. */
    private boolean detaching;
    private boolean done;
    /** Threads restarted so that a queued SIGTRAP surfaces as a stop, and whether they were stepping. */
    private final Map<TracedThread, Boolean> surfacing = new HashMap<>();
    private final Map<TracedThread, Integer> surfacingRuns = new HashMap<>();
    /** Threads whose PTRACE_DETACH failed while they were still ours: detached at their next stop. */
    private final Set<TracedThread> detachAtStop = new HashSet<>();

    Detacher(ProcessCore process) {
        this.process = process;
    }

    boolean active() {
        return result != null;
    }

    boolean done() {
        return done;
    }

    void begin(CompletableFuture<Void> future) {
        if (result != null) {
            future.completeExceptionally(new TracerException("process " + process.pid() + " is already being detached"));
            return;
        }
        result = future;
        for (TracedThread t : process.threads.values()) {
            t.suspendCount++;
            if (t.running() && !t.interruptSent) {
                process.tracerOwned.interrupt(t);
            }
        }
        progress();
    }

    /** Kill and terminate are for a process we trace: after a detach it belongs to somebody else. */
    void requireAttached(Signal signal) {
        if (active()) {
            throw new TracerException("process " + process.pid() + " was detached: not sending it " + signal.name());
        }
    }

    /** A thread born while detaching is held like the rest. */
    void holdNewThread(TracedThread t) {
        if (active()) {
            t.suspendCount++;
        }
    }

    void progress() {
        if (result == null || done) {
            return;
        }
        if (detaching) {
            finishIfDone(); // a thread kept after a failed PTRACE_DETACH has exited
            return;
        }
        if (process.stepOvers.stepping() || process.pageTraps.step.busy()) {
            return;
        }
        for (TracedThread t : process.threads.values()) {
            if (t.running()) {
                return;
            }
        }
        if (surfaceQueuedTraps()) {
            return; // progress runs again at their stops
        }
        // Every page back to the program's own protection (injected mprotect calls): nothing
        // of ours may fault once nobody takes the SIGSEGV.
        process.pageTraps.releaseAll();
        detaching = true;
        process.breakpoints.clear();
        for (TracedThread t : List.copyOf(process.threads.values())) {
            detachThread(t);
        }
        finishIfDone();
    }

    /** Restarts every stopped thread that has a SIGTRAP queued; true if any was. */
    private boolean surfaceQueuedTraps() {
        boolean any = false;
        for (TracedThread t : List.copyOf(process.threads.values())) {
            // A thread in a signal-delivery-stop of another signal has no trap of ours queued:
            // the kernel dequeues its own synchronous SIGTRAP before any other signal.
            if (!t.stopped() || t.exiting || t.pendingSignal != 0
                    || !ProcFs.hasPendingUnblockedSignal(process.pid(), t.tid, Signal.SIGTRAP.number())) {
                continue;
            }
            if (surfacingRuns.getOrDefault(t, 0) >= MAX_SURFACING_RUNS) {
                LOG.warning(() -> "thread " + t.tid + " is detached with a SIGTRAP still queued");
                continue;
            }
            surfacingRuns.merge(t, 1, Integer::sum);
            surfacing.put(t, t.lastRestart.steps());
            // A plain CONT (no syscall stops); the SIGTRAP is dequeued before the thread returns
            // to user mode, so it runs no instruction of the program meanwhile.
            try {
                Ptrace.cont(t.tid, 0);
            } catch (LastErrorException e) {
                // ESRCH: it died meanwhile; its exit status follows
            }
            t.lastRestart = ResumeAction.RESUME;
            t.inSyscall = false;
            t.atSeccompEntry = false;
            t.kernel = KernelState.RUNNING;
            any = true;
        }
        return any;
    }

    /**
     * A stop while detaching that is the detacher's to handle, before {@link StopHandler} decodes
     * it; true if it was handled here.
     */
    boolean takesStop(TracedThread t, WaitStatus ws) {
        if (detachAtStop.remove(t) || (detaching && !done)) {
            detachThread(t);
            finishIfDone();
            return true;
        }
        Boolean wasStepping = surfacing.remove(t);
        if (wasStepping == null) {
            return false;
        }
        if (ws.syscallStop()) {
            return false;
        }
        if (ws.event() != 0 || ws.stopSignal() != Signal.SIGTRAP.number()) {
            if (ws.event() == 0) {
                t.pendingSignal = ws.stopSignal(); // not a trap of ours: it goes to the program
            }
            return ws.event() == 0; // an event (a late INTERRUPT trap, exit): decoded as usual
        }
        settleSurfacedTrap(t, wasStepping);
        return true;
    }

    /** The queued SIGTRAP surfaced (signal-delivery-stop): ours is swallowed, the program's kept. */
    private void settleSurfacedTrap(TracedThread t, boolean wasStepping) {
        SigInfo info;
        try {
            info = Ptrace.sigInfo(t.tid);
        } catch (LastErrorException e) {
            return; // gone: its exit status follows
        }
        if (info.code() == SigInfo.SI_KERNEL) {
            long pc = Ptrace.peekUser(t.tid, PC);
            long int3 = pc - 1;
            if (process.breakpoints.exists(int3) || process.breakpoints.isPhantom(int3)) {
                // Ours: back to the breakpoint address, where the program's byte goes back in.
                Ptrace.pokeUser(t.tid, PC, int3);
                return;
            }
        } else if (wasStepping && (info.code() == TRAP_TRACE || info.code() == TRAP_BRKPT)) {
            return; // our step's trap (utrace_reset's lesson: it must not outlive the tracer)
        } else if (info.code() == TRAP_HWBKPT && !process.debugRegisters.watches().isEmpty()) {
            return; // TRAP_HWBKPT of our watchpoint: the registers are cleared before the detach
        }
        t.pendingSignal = Signal.SIGTRAP.number(); // the program's own SIGTRAP: delivered as untraced
    }

    void detachThread(TracedThread t) {
        process.debugRegisters.clear(t);
        int signal = process.control.takeSignal(t);
        try {
            Ptrace.detach(t.tid, signal);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH && !t.exiting) {
                t.pendingSignal = signal; // decided: the retry delivers it
                // It was in a ptrace-stop a moment ago, so a fatal signal took it out (SIGKILL, or
                // another thread's crash) and it is still ours: it stops at PTRACE_EVENT_EXIT and
                // waits there for us, holding up the whole process, unless it is reaped first.
                detachAtStop.add(t);
                t.kernel = KernelState.RUNNING;
                LOG.fine(() -> "detach " + t.tid + ": ESRCH; detached at its next stop");
                return;
            }
            LOG.fine(() -> "detach " + t.tid + ": " + Errno.describe(e.getErrorCode()));
        }
        t.kernel = KernelState.EXITED;
        process.threads.remove(t.tid);
        process.tracer().forget(t);
    }

    void finishIfDone() {
        if (result != null && process.threads.isEmpty() && !done) {
            done = true;
            process.tracerOwned.ended();
            result.complete(null);
        }
    }

    /** The process exited while we were detaching: that ends the detach too. */
    void processGone() {
        if (result != null && !result.isDone()) {
            done = true;
            result.complete(null);
        }
    }
}
