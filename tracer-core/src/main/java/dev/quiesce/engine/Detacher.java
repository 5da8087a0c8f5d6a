package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Signal;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * Detaching from a process so that it runs on as if it had never been traced (PRODUCT.md,
 * "Attach request"): every thread is stopped, every int3 byte restored, a step trap still
 * queued is consumed, and each thread is detached with the signal it was about to receive.
 * PTRACE_DETACH clears the trap flag itself. Tracer thread only.
 */
final class Detacher {
    private static final Logger LOG = Logger.getLogger(Detacher.class.getName());

    private final TracedProcess process;
    private CompletableFuture<Void> result;
    private boolean done;

    Detacher(TracedProcess process) {
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
                process.interrupt(t);
            }
        }
        progress();
    }

    /** A thread born while detaching is held like the rest. */
    void holdNewThread(TracedThread t) {
        if (active()) {
            t.suspendCount++;
        }
    }

    void progress() {
        if (result == null || done || process.stepOvers.stepping()) {
            return;
        }
        for (TracedThread t : process.threads.values()) {
            if (t.running()) {
                return;
            }
        }
        process.breakpoints.clear();
        for (TracedThread t : List.copyOf(process.threads.values())) {
            if (t.lastRestart.steps() && ProcFs.hasPendingSignal(process.pid(), t.tid, Signal.SIGTRAP.number())) {
                // A step trap queued but not yet reported would kill the untraced program:
                // let it surface as a stop and swallow it before detaching (utrace_reset's lesson).
                t.consumingTrapForDetach = true;
                t.lastRestart = ResumeAction.RESUME;
                process.restart(t, ResumeAction.RESUME);
                continue;
            }
            detachThread(t);
        }
        finishIfDone();
    }

    void detachThread(TracedThread t) {
        try {
            Ptrace.detach(t.tid, t.pendingSignal);
        } catch (LastErrorException e) {
            LOG.fine(() -> "detach " + t.tid + ": " + Errno.describe(e.getErrorCode()));
        }
        t.kernel = KernelState.EXITED;
        process.threads.remove(t.tid);
        process.tracer().forget(t);
    }

    void finishIfDone() {
        if (result != null && process.threads.isEmpty() && !done) {
            done = true;
            process.ended();
            result.complete(null);
        }
    }

    /** The process exited while we were detaching: that ends the detach too. */
    void processGone() {
        if (result != null && !result.isDone()) {
            result.complete(null);
        }
    }
}
