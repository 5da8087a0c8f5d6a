package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.WaitStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A traced process: its threads, their stop states, and the controls a client uses
 * (pause, resume, kill). Public methods may be called from any thread and return futures;
 * the work happens on the tracer thread. Package-private methods run on the tracer thread.
 */
public final class TracedProcess {
    private static final Logger LOG = Logger.getLogger(TracedProcess.class.getName());

    private final Tracer tracer;
    private final int pid;
    private final LaunchSpec spec;
    private final ProcessListener listener;
    private final Map<Integer, TracedThread> threads = new LinkedHashMap<>();
    private final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    private final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    private int stdinFd;

    /** The program has been released after launch ({@link #start()}). */
    private boolean started;
    /** All-stop: a stop is waiting for every other thread to stop before it is reported. */
    private PendingAllStop pendingAllStop;
    /** All-stop: the whole process is stopped and the client knows it. */
    private boolean allStopped;

    private record PendingAllStop(TracedThread trigger, StopReason reason) {
    }

    TracedProcess(Tracer tracer, int pid, LaunchSpec spec, ProcessListener listener, int stdinFd) {
        this.tracer = tracer;
        this.pid = pid;
        this.spec = spec;
        this.listener = listener;
        this.stdinFd = stdinFd;
        TracedThread main = new TracedThread(pid, this);
        main.kernel = KernelState.STOPPED; // at the exec event
        main.initialStopSeen = true;
        threads.put(pid, main);
        tracer.register(main);
    }

    public int pid() {
        return pid;
    }

    public String programName() {
        return spec.program().getFileName().toString();
    }

    public StopMode stopMode() {
        return spec.stopMode();
    }

    /** Completes when the process has exited (all of its threads reaped). */
    public CompletableFuture<ExitStatus> exited() {
        return exit;
    }

    /** Completes when stdout and stderr have reached end of file. */
    public CompletableFuture<Void> outputFinished() {
        return outputDone;
    }

    // ---- controls (any thread) ----

    /** Releases the program after launch: it runs from its first instruction. */
    public CompletableFuture<Void> start() {
        return tracer.run(() -> {
            if (!started) {
                started = true;
                announce(threads.get(pid));
                restart(threads.get(pid));
            }
        });
    }

    /**
     * Releases the program after launch but reports it stopped at its first instruction
     * (the dynamic loader's entry), reason {@link StopReason#ENTRY}; it runs on {@link #resume}.
     */
    public CompletableFuture<Void> startStopped() {
        return tracer.run(() -> {
            if (!started) {
                started = true;
                TracedThread main = threads.get(pid);
                announce(main);
                main.reported = true;
                boolean all = spec.stopMode() == StopMode.ALL_STOP;
                allStopped = all;
                listener.threadStopped(this, new ThreadStop(pid, StopReason.ENTRY, all));
            }
        });
    }

    /** Stops one thread (non-stop) or the whole process (all-stop); the stop is reported to the listener. */
    public CompletableFuture<Void> pause(int tid) {
        return tracer.run(() -> {
            TracedThread t = thread(tid);
            if (spec.stopMode() == StopMode.ALL_STOP) {
                if (!allStopped && pendingAllStop == null) {
                    pendingAllStop = new PendingAllStop(t, StopReason.PAUSE);
                    interruptAllRunning();
                    finishAllStopIfQuiet();
                }
            } else if (!t.reported && !t.stopRequested) {
                if (t.stopped()) {
                    report(t, StopReason.PAUSE); // held in the kernel but running for the client
                } else {
                    interrupt(t);
                }
            }
        });
    }

    /** Resumes one thread the client sees stopped; a thread that is running is left alone. */
    public CompletableFuture<Void> resume(int tid) {
        return tracer.run(() -> {
            TracedThread t = thread(tid);
            if (t.reported) {
                t.reported = false;
                allStopped = false;
                restart(t);
            }
        });
    }

    /** Resumes every thread the client sees stopped. */
    public CompletableFuture<Void> resumeAll() {
        return tracer.run(() -> {
            allStopped = false;
            for (TracedThread t : new ArrayList<>(threads.values())) {
                if (t.reported) {
                    t.reported = false;
                    restart(t);
                }
            }
        });
    }

    /** The threads as the client sees them, named from /proc. */
    public CompletableFuture<List<ThreadInfo>> threads() {
        return tracer.submit(() -> {
            List<ThreadInfo> list = new ArrayList<>();
            for (TracedThread t : threads.values()) {
                if (t.kernel != KernelState.EXITED && (t.initialStopSeen || t.running())) {
                    String name = ProcFs.threadName(pid, t.tid).orElse("thread " + t.tid);
                    list.add(new ThreadInfo(t.tid, name, t.reported));
                }
            }
            return list;
        });
    }

    /** Whether the thread exists, and if so whether the client sees it stopped. */
    public CompletableFuture<Boolean> isStopped(int tid) {
        return tracer.submit(() -> thread(tid).reported);
    }

    /** SIGKILL: the process ends at once, stopped threads included. Completes when it has exited. */
    public CompletableFuture<ExitStatus> kill() {
        tracer.run(() -> signalProcess(Signal.SIGKILL));
        return exit;
    }

    /**
     * Asks the program to end (SIGTERM) and lets every thread run so that it can; the signal
     * is delivered like any other (it may be handled or ignored).
     */
    public CompletableFuture<Void> terminate() {
        return tracer.run(() -> {
            signalProcess(Signal.SIGTERM);
            allStopped = false;
            pendingAllStop = null;
            for (TracedThread t : new ArrayList<>(threads.values())) {
                if (t.stopped()) {
                    t.reported = false;
                    restart(t);
                }
            }
        });
    }

    /** Closes the program's stdin: its reads see end of file. */
    public CompletableFuture<Void> closeStdin() {
        return tracer.run(this::closeStdinNow);
    }

    /** Writes to the program's stdin (blocking if the pipe is full; call from a thread of your own). */
    public void writeStdin(byte[] data, int length) {
        int fd = stdinFd;
        if (fd < 0) {
            throw new TracerException("the program's stdin is closed");
        }
        int done = 0;
        while (done < length) {
            byte[] rest = done == 0 ? data : java.util.Arrays.copyOfRange(data, done, length);
            done += (int) LibC.write(fd, rest, length - done);
        }
    }

    // ---- tracer thread ----

    void startOutput(int stdoutFd, int stderrFd, OutputListener output) {
        String owner = Integer.toString(pid);
        OutputPump out = OutputPump.start(stdoutFd, OutputListener.Stream.STDOUT, output, owner);
        OutputPump err = OutputPump.start(stderrFd, OutputListener.Stream.STDERR, output, owner);
        CompletableFuture.allOf(out.finished(), err.finished()).thenRun(() -> outputDone.complete(null));
    }

    private TracedThread thread(int tid) {
        TracedThread t = threads.get(tid);
        if (t == null || t.kernel == KernelState.EXITED) {
            throw new TracerException("thread " + tid + " does not exist in process " + pid + " (it may have exited)");
        }
        return t;
    }

    /** A thread seen before its parent's clone event (or from it): tracked from now on. */
    TracedThread adoptThread(int tid) {
        TracedThread t = threads.get(tid);
        if (t == null) {
            t = new TracedThread(tid, this);
            threads.put(tid, t);
            tracer.register(t);
        }
        return t;
    }

    /** Dispatches one wait status of one of our threads. */
    void handle(TracedThread t, WaitStatus ws) {
        if (ws.exited() || ws.signaled()) {
            threadGone(t, ws);
        } else if (ws.stopped()) {
            t.kernel = KernelState.STOPPED;
            stopped(t, ws);
        }
    }

    private void stopped(TracedThread t, WaitStatus ws) {
        if (ws.syscallStop()) {
            restartUnlessHeld(t);
            return;
        }
        switch (ws.event()) {
            case Ptrace.EVENT_CLONE -> {
                long child = eventMessage(t);
                if (child > 0) {
                    adoptThread((int) child);
                }
                restartUnlessHeld(t);
            }
            case Ptrace.EVENT_EXEC -> {
                execed(t);
                restartUnlessHeld(t);
            }
            case Ptrace.EVENT_STOP -> eventStop(t, ws);
            case 0 -> signalStop(t, ws.stopSignal());
            default -> restartUnlessHeld(t);
        }
    }

    /** PTRACE_EVENT_STOP: a new thread's first stop, our INTERRUPT, or a group-stop (ptrace(2)). */
    private void eventStop(TracedThread t, WaitStatus ws) {
        if (Signal.isStopSignal(ws.stopSignal()) && isGroupStop(t)) {
            // Job control from outside (kill -STOP): the thread stays stopped as it would untraced.
            // PTRACE_LISTEN lets the kernel wake it on SIGCONT while we keep tracing it.
            if (t.stopRequested) {
                t.stopRequested = false;
                stopArrived(t, StopReason.PAUSE);
            } else {
                listen(t);
            }
            return;
        }
        boolean first = !t.initialStopSeen;
        if (first) {
            t.initialStopSeen = true;
            announce(t);
        }
        if (t.stopRequested) {
            t.stopRequested = false;
            stopArrived(t, StopReason.PAUSE);
        } else {
            // A new thread, or the late trap of an INTERRUPT whose stop was already taken by a signal.
            restartUnlessHeld(t);
        }
    }

    /** A signal-delivery-stop. The signal is delivered on restart (pass), as it would be untraced. */
    private void signalStop(TracedThread t, int signal) {
        t.pendingSignal = signal;
        if (t.stopRequested) {
            // The pause is satisfied by this stop; the INTERRUPT's own trap comes later and is ignored.
            t.stopRequested = false;
            stopArrived(t, StopReason.PAUSE);
        } else {
            restartUnlessHeld(t);
        }
    }

    private void stopArrived(TracedThread t, StopReason reason) {
        if (spec.stopMode() == StopMode.NON_STOP) {
            report(t, reason);
            return;
        }
        if (pendingAllStop == null && !allStopped) {
            pendingAllStop = new PendingAllStop(t, reason);
            interruptAllRunning();
        }
        finishAllStopIfQuiet();
    }

    private void report(TracedThread t, StopReason reason) {
        t.reported = true;
        listener.threadStopped(this, new ThreadStop(t.tid, reason, false));
    }

    private void interruptAllRunning() {
        for (TracedThread other : threads.values()) {
            if (other.running() && !other.stopRequested) {
                interrupt(other);
            }
        }
    }

    /** All-stop: once no thread runs, the pending stop is reported and every thread is stopped for the client. */
    private void finishAllStopIfQuiet() {
        if (pendingAllStop == null) {
            return;
        }
        for (TracedThread t : threads.values()) {
            if (t.running()) {
                return;
            }
        }
        PendingAllStop done = pendingAllStop;
        pendingAllStop = null;
        allStopped = true;
        for (TracedThread t : threads.values()) {
            if (t.stopped()) {
                t.reported = true;
            }
        }
        if (done.trigger.stopped()) {
            listener.threadStopped(this, new ThreadStop(done.trigger.tid, done.reason, true));
        } else {
            // The thread that asked for the stop exited meanwhile: report the stop on another.
            threads.values().stream().filter(TracedThread::stopped).findFirst().ifPresent(
                    other -> listener.threadStopped(this, new ThreadStop(other.tid, done.reason, true)));
        }
    }

    /** exec from any thread: the others are gone and the exec'ing thread now has the leader's tid. */
    private void execed(TracedThread t) {
        for (TracedThread other : new ArrayList<>(threads.values())) {
            if (other.tid != pid) {
                removeThread(other);
            }
        }
    }

    private void threadGone(TracedThread t, WaitStatus ws) {
        if (t.tid != pid) {
            removeThread(t);
            finishAllStopIfQuiet();
            return;
        }
        // The leader's status comes last (__WALL): the whole process is gone.
        for (TracedThread other : new ArrayList<>(threads.values())) {
            if (other.tid != pid) {
                removeThread(other);
            }
        }
        removeThread(t);
        tracer.forget(this);
        closeStdinNow();
        ExitStatus status = ws.exited() ? ExitStatus.exited(ws.exitCode()) : ExitStatus.killed(ws.termSignal());
        listener.processExited(this, status);
        exit.complete(status);
    }

    private void removeThread(TracedThread t) {
        boolean wasAnnounced = t.initialStopSeen && (started || t.tid != pid);
        t.kernel = KernelState.EXITED;
        threads.remove(t.tid);
        tracer.forget(t);
        if (wasAnnounced) {
            listener.threadExited(this, t.tid);
        }
    }

    private void announce(TracedThread t) {
        if (started) {
            listener.threadStarted(this, t.tid);
        }
    }

    /** Restarts a thread unless the process is being (or is) held stopped as a whole. */
    private void restartUnlessHeld(TracedThread t) {
        if (!started && t.tid == pid) {
            return; // held at exec until start()
        }
        if (pendingAllStop != null || allStopped) {
            if (allStopped) {
                t.reported = true;
            }
            finishAllStopIfQuiet();
            return;
        }
        restart(t);
    }

    private void restart(TracedThread t) {
        int signal = t.pendingSignal;
        t.pendingSignal = 0;
        try {
            Ptrace.cont(t.tid, signal);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new TracerException("cannot resume thread " + t.tid + ": " + Errno.describe(e.getErrorCode()));
            }
            // ESRCH: it died meanwhile; its exit status follows.
        }
        t.kernel = KernelState.RUNNING;
    }

    private void interrupt(TracedThread t) {
        try {
            Ptrace.interrupt(t.tid);
            t.stopRequested = true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new TracerException("cannot stop thread " + t.tid + ": " + Errno.describe(e.getErrorCode()));
            }
        }
    }

    private void listen(TracedThread t) {
        try {
            Ptrace.listen(t.tid);
            t.kernel = KernelState.RUNNING;
        } catch (LastErrorException e) {
            LOG.fine(() -> "PTRACE_LISTEN " + t.tid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    private boolean isGroupStop(TracedThread t) {
        try {
            Ptrace.sigInfo(t.tid);
            return false;
        } catch (LastErrorException e) {
            return e.getErrorCode() == Errno.EINVAL;
        }
    }

    private long eventMessage(TracedThread t) {
        try {
            return Ptrace.eventMessage(t.tid);
        } catch (LastErrorException e) {
            return -1;
        }
    }

    private void signalProcess(Signal signal) {
        try {
            LibC.kill(pid, signal.number());
        } catch (LastErrorException e) {
            LOG.fine(() -> "kill " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    private void closeStdinNow() {
        if (stdinFd >= 0) {
            LibC.close(stdinFd);
            stdinFd = -1;
        }
    }
}
