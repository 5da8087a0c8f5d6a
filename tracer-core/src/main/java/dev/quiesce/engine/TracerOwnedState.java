package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.WaitStatus;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The part of a {@link ProcessCore} that belongs to the tracer thread: its stops as they come
 * (decoded by {@link StopHandler}), the restart of each thread once nothing holds it, and the
 * life of its threads (born, exec, gone). Every method runs on the tracer thread; the process
 * handle that any thread may use is {@link ProcessCore}.
 */
final class TracerOwnedState {
    private static final Logger LOG = Logger.getLogger(TracerOwnedState.class.getName());

    private final ProcessCore p;
    private final StopHandler stops;
    /** The main thread is held at exec until {@link ProcessCore#start()} (launch only). */
    private boolean heldAtExec;

    TracerOwnedState(ProcessCore p, boolean launched) {
        this.p = p;
        this.heldAtExec = launched;
        this.stops = new StopHandler(p);
    }

    /** Lets the launched program run; {@code stopAtEntry}: the view of the session that reports it stopped at its first instruction, or null. */
    void release(ClientView stopAtEntry) {
        if (!heldAtExec) {
            return;
        }
        heldAtExec = false;
        TracedThread main = p.threads.get(p.pid);
        main.suspendCount--;
        p.threadStarted(p.pid);
        if (stopAtEntry != null) {
            stopAtEntry.holdAtEntry(p.pid);
        }
        settle(main);
    }

    StopHandler stops() {
        return stops;
    }

    // ---- stops and restarts (tracer thread) ----

    /** A thread seen before its parent's clone event (or from it): tracked from now on. */
    TracedThread adoptThread(int tid) {
        TracedThread t = p.threads.get(tid);
        if (t == null) {
            t = new TracedThread(tid, p);
            p.threads.put(tid, t);
            p.tracer.register(t);
            p.stepOvers.holdNewThread(t);
            p.pageTraps.step.holdNewThread(t);
            p.detacher.holdNewThread(t);
        }
        return t;
    }

    /** Dispatches one wait status of one of our p.threads. */
    void handle(TracedThread t, WaitStatus ws) {
        if (ws.exited() || ws.signaled()) {
            threadGone(t, ws);
        } else if (ws.stopped()) {
            t.kernel = KernelState.STOPPED;
            stops.stopped(t, ws);
            if (t.alive()) {
                afterStop(t);
            }
        }
    }

    /** Quiesce reports for engines that asked, then progress of step-over and detach, then restart. */
    private void afterStop(TracedThread t) {
        if (t.interruptSent) {
            t.interruptSent = false;
        }
        if (t.exiting) {
            // A stop asked for by an engine that lands on the thread's p.exit is no stop to report:
            // the thread is gone once restarted, and the engine hears of it as EXIT.
            t.quiesceWanted.clear();
        } else if (!t.quiesceWanted.isEmpty()) {
            Set<EngineHandle> waiting = new LinkedHashSet<>(t.quiesceWanted);
            t.quiesceWanted.clear();
            p.control.deliverTo(t, new ThreadEvent.Quiesced(t.tid), waiting);
        }
        p.stepOvers.progress();
        p.pageTraps.afterStop(t);
        p.pageTraps.step.progress();
        p.detacher.progress();
        settle(t);
    }

    /**
     * Restarts a stopped thread if nothing holds it: no internal hold, no engine answering STOP.
     * It single-steps if an engine wants that, steps over a breakpoint at its pc first if needed,
     * and runs with PTRACE_SYSCALL if an engine traces its syscalls, else PTRACE_CONT.
     */
    void settle(TracedThread t) {
        if (t.exiting && t.stopped()) {
            // At PTRACE_EVENT_EXIT nothing may hold a thread: it is dying (SIGKILL, exit_group).
            restart(t, ResumeAction.RESUME);
            return;
        }
        if (!t.stopped() || t.suspendCount > 0 || t.steppingOver || t.pageStepping || p.detacher.done()) {
            return;
        }
        // A thread making a function call runs (or waits) as the call says, whoever else holds it.
        ResumeAction action = t.call != null ? t.call.action() : t.mergedAction();
        if (action == ResumeAction.STOP) {
            return;
        }
        if (t.inGroupStop) {
            listen(t);
            return;
        }
        if (t.stoppedAtBreakpoint >= 0 && p.breakpoints.isInserted(t.stoppedAtBreakpoint)) {
            p.stepOvers.begin(t, t.stoppedAtBreakpoint);
            return;
        }
        restart(t, action);
    }

    void restart(TracedThread t, ResumeAction action) {
        p.debugRegisters.bringUpToDate(t);
        int signal = p.control.takeSignal(t);
        try {
            if (action == ResumeAction.SINGLESTEP) {
                Ptrace.singleStep(t.tid, signal);
            } else if (action == ResumeAction.BLOCKSTEP) {
                Ptrace.singleBlock(t.tid, signal);
            } else if (p.control.anyEngineWants(EventType.SYSCALL, t.tid)) {
                LibC.ptrace(Ptrace.SYSCALL, t.tid, 0, signal);
            } else {
                t.atSeccompEntry = false; // no syscall-entry or -p.exit stop follows a plain CONT
                t.inSyscall = false;
                // Threads no engine traces for syscalls run with plain PTRACE_CONT: no syscall stops.
                Ptrace.cont(t.tid, signal);
            }
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new TracerException("cannot resume thread " + t.tid + ": " + Errno.describe(e.getErrorCode()));
            }
            // ESRCH: it died meanwhile; its p.exit status follows.
        }
        t.lastRestart = action.steps() ? action : ResumeAction.RESUME;
        if (!t.steppingOver) {
            t.stoppedAtBreakpoint = -1;
        }
        t.kernel = t.exiting ? KernelState.EXITING : KernelState.RUNNING;
        if (p.pageTraps.wantsAStop() && !t.exiting && !t.interruptSent && t.call == null) {
            // page protection waits for a stop where a syscall can be injected: the next one
            // (not a thread making a call: it could not inject there, and would only stop again)
            interrupt(t);
        }
    }

    /** Lets a group-stopped thread wait for SIGCONT as it would untraced, still traced (ptrace(2) PTRACE_LISTEN). */
    private void listen(TracedThread t) {
        try {
            Ptrace.listen(t.tid);
        } catch (LastErrorException e) {
            LOG.fine(() -> "PTRACE_LISTEN " + t.tid + ": " + Errno.describe(e.getErrorCode()));
        }
        t.kernel = KernelState.RUNNING;
    }

    void interrupt(TracedThread t) {
        try {
            Ptrace.interrupt(t.tid);
            t.interruptSent = true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new TracerException("cannot stop thread " + t.tid + ": " + Errno.describe(e.getErrorCode()));
            }
        }
    }

    // ---- lifecycle ----

    void threadGone(TracedThread t, WaitStatus ws) {
        p.stepOvers.threadGone(t);
        p.pageTraps.step.threadGone(t);
        if (t.tid != p.pid) {
            removeThread(t);
            p.detacher.progress();
            return;
        }
        // The leader's status comes last (__WALL): the whole process is gone.
        for (TracedThread other : List.copyOf(p.threads.values())) {
            if (other.tid != p.pid) {
                removeThread(other);
            }
        }
        removeThread(t);
        ended();
        ExitStatus status = ws.exited() ? ExitStatus.exited(ws.exitCode()) : ExitStatus.killed(ws.termSignal());
        p.processExited(status);
        p.exit.complete(status);
        p.detacher.processGone();
    }

    void removeThread(TracedThread t) {
        boolean announced = t.initialStopSeen && !(heldAtExec && t.tid == p.pid);
        t.kernel = KernelState.EXITED;
        p.threads.remove(t.tid);
        p.tracer.forget(t);
        p.control.deliver(t, new ThreadEvent.Exited(t.tid), null);
        if (announced) {
            p.threadExited(t.tid);
        }
    }

    /** The thread's first stop after clone: announced, then run unless an engine holds it. */
    void threadStarted(TracedThread t) {
        t.initialStopSeen = true;
        p.threadStarted(t.tid);
        p.control.deliver(t, new ThreadEvent.ThreadStarted(t.tid), null);
    }

    /** exec from any thread: the others are gone, the exec'ing thread has the leader's tid, p.memory is new. */
    void execed(TracedThread leader) {
        for (TracedThread other : List.copyOf(p.threads.values())) {
            if (other != leader) {
                removeThread(other);
            }
        }
        try {
            ProcessMemory fresh = new ProcessMemory(p.pid);
            p.memory.close();
            p.memory = fresh;
            p.breakpoints.forgetAfterExec(fresh);
            p.pageTraps.forgetAfterExec();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cannot reopen p.memory of " + p.pid + " after exec", e);
        }
    }

    void startOutput(int stdoutFd, int stderrFd, OutputListener output) {
        String owner = Integer.toString(p.pid);
        OutputPump out = OutputPump.start(stdoutFd, OutputListener.Stream.STDOUT, output, owner);
        OutputPump err = OutputPump.start(stderrFd, OutputListener.Stream.STDERR, output, owner);
        CompletableFuture.allOf(out.finished(), err.finished()).thenRun(() -> p.outputDone.complete(null));
    }

    void noOutput() {
        p.outputDone.complete(null);
    }

    /** An attached process caught at its exec (waitFor) is held there for {@link #start()} like a p.launched one. */
    void holdAtExecUntilStart() {
        heldAtExec = true;
    }

    /** The main thread of a p.launched process waits at exec for {@link #start()}. */
    void holdMainAtExec(TracedThread main) {
        main.suspendCount++;
    }

    void ended() {
        p.tracer.forget(p);
        p.closeStdinNow();
        p.memory.close();
        if (!p.launched) {
            p.outputDone.complete(null);
        }
    }
}
