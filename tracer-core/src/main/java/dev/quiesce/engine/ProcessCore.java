package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Signal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A traced process itself, whoever debugs it: its threads, the engines on them, our int3
 * bytes, its memory, and the machinery that stops and restarts threads ({@link TracerOwnedState}).
 * Every session that debugs the process (PRODUCT.md, "Attach request": a second client may
 * attach to a process this server debugs) has its own {@link TracedProcess} on it, with its own
 * view of which threads it stopped; what they share is here. Tracer thread only, except the
 * final fields and {@link #memory}.
 */
final class ProcessCore {
    private static final Logger LOG = Logger.getLogger(ProcessCore.class.getName());

    final Tracer tracer;
    final int pid;
    final Path program;
    /** We started it (EXITKILL, its output comes through our pipes). */
    final boolean launched;
    final Map<Integer, TracedThread> threads = new LinkedHashMap<>();
    /** Copy-on-write: delivery iterates a snapshot while callbacks may attach or detach engines. */
    final List<EngineHandle> engines = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The sessions debugging it, the launching one first. Copy-on-write: a thread's events are
     * told to each while one of them may leave.
     */
    final List<TracedProcess> sessions = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    /** Syscalls the launcher's seccomp filter traps (catchSyscalls at launch); fixed for the process's life. */
    final Set<Long> seccompTraced;
    final EngineControl control = new EngineControl(this);
    /** Replaced on exec (tracer thread); read from any thread, hence volatile. */
    volatile ProcessMemory memory;
    Breakpoints breakpoints;
    private int stdinFd;

    /** Threads, stops, restarts and lifecycle: the state only the tracer thread touches. */
    final TracerOwnedState tracerOwned;
    final StepOvers stepOvers = new StepOvers(this);
    final Detacher detacher = new Detacher(this);
    final DebugRegisters debugRegisters = new DebugRegisters();
    final PageTraps pageTraps = new PageTraps(this);
    /** The session whose data breakpoints are in the debug registers (one at a time), or null. */
    TracedProcess debugRegistersOwner;

    ProcessCore(Tracer tracer, int pid, Path program, int stdinFd, boolean launched, Set<Long> seccompTraced) {
        this.seccompTraced = Set.copyOf(seccompTraced);
        this.tracer = tracer;
        this.pid = pid;
        this.program = program;
        this.stdinFd = stdinFd;
        this.launched = launched;
        this.tracerOwned = new TracerOwnedState(this, launched);
        try {
            this.memory = new ProcessMemory(pid);
        } catch (IOException e) {
            throw new TracerException("cannot open the memory of process " + pid + ": " + e.getMessage(), e);
        }
        this.breakpoints = new Breakpoints(memory);
    }

    /**
     * One more session on the process (the first is the one that launched or attached it): one
     * more client view, an engine like any other. Tracer thread, or before the process is
     * published.
     */
    TracedProcess addSession(StopMode mode, ProcessListener listener, boolean launchedHere) {
        if (detacher.active()) {
            throw new TracerException("process " + pid + " is being detached");
        }
        TracedProcess session = new TracedProcess(this, mode, listener, launchedHere);
        sessions.add(session);
        return session;
    }

    // ---- what every session hears (tracer thread) ----

    void threadStarted(int tid) {
        for (TracedProcess s : sessions) {
            s.listener.threadStarted(s, tid);
        }
    }

    void threadExited(int tid) {
        for (TracedProcess s : sessions) {
            s.listener.threadExited(s, tid);
        }
    }

    void processExited(ExitStatus status) {
        for (TracedProcess s : sessions) {
            s.listener.processExited(s, status);
        }
    }

    /** The sessions that follow forks hear of a fork child held for them (see {@link TracedProcess#followForks}). */
    void forkChildHeld(int child, boolean vfork) {
        for (TracedProcess s : sessions) {
            if (s.followsForks()) {
                s.listener.forkChildHeld(s, child, vfork);
            }
        }
    }

    /** Fork children stay traced if a session follows forks (and the process is not being detached). */
    boolean followsForks() {
        return !detacher.active() && sessions.stream().anyMatch(TracedProcess::followsForks);
    }

    // ---- engine plumbing (tracer thread) ----

    /** {@code owner}: the session the engine belongs to, or null for the tracer's own (page traps). */
    EngineHandle attachInternal(TracedProcess owner, Engine engine, Set<EventType> events, int tid) {
        if (tid != 0) {
            thread(tid);
        }
        EngineHandle handle = new EngineHandle(this, owner, engine, events, tid);
        engines.add(handle);
        if (owner != null) {
            owner.engines.add(handle);
        }
        if (events.contains(EventType.SYSCALL)) {
            // Running threads only start making syscall stops at their next restart.
            for (TracedThread t : threads.values()) {
                if (handle.covers(t.tid) && t.running() && !t.interruptSent) {
                    tracerOwned.interrupt(t);
                }
            }
        }
        return handle;
    }

    TracedThread thread(int tid) {
        TracedThread t = threads.get(tid);
        if (t == null || !t.live()) {
            throw new TracerException("thread " + tid + " does not exist in process " + pid + " (it may have exited)");
        }
        return t;
    }

    Set<Integer> liveTids() {
        Set<Integer> live = new LinkedHashSet<>();
        for (TracedThread t : threads.values()) {
            if (t.live()) {
                live.add(t.tid);
            }
        }
        return live;
    }

    Tracer tracer() {
        return tracer;
    }

    int pid() {
        return pid;
    }

    /** See {@link TracedProcess#runOnTracer(Runnable)}. */
    CompletableFuture<Void> runOnTracer(Runnable task) {
        if (tracer.isTracerThread()) {
            try {
                task.run();
                return CompletableFuture.completedFuture(null);
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return tracer.run(task);
    }

    <T> CompletableFuture<T> runOnTracer(java.util.concurrent.Callable<T> task) {
        if (tracer.isTracerThread()) {
            try {
                return CompletableFuture.completedFuture(task.call());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return tracer.submit(task);
    }

    CompletableFuture<Void> queueBehindCurrentEvent(Runnable task) {
        return tracer.run(task);
    }

    void requireTracerThread(String what) {
        if (!tracer.isTracerThread()) {
            throw new IllegalStateException(what + " is for the tracer thread (engine callbacks, runOnTracer); elsewhere use the future-returning form");
        }
    }

    /** The program's bytes (our int3s shown as the original bytes). Tracer thread. */
    byte[] readMemoryHere(long address, int length) {
        byte[] bytes = memory.read(address, length);
        breakpoints.shadow(address, bytes, bytes.length);
        return bytes;
    }

    void signalProcess(Signal signal) {
        detacher.requireAttached(signal);
        try {
            LibC.kill(pid, signal.number());
        } catch (LastErrorException e) {
            LOG.fine(() -> "kill " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    Detacher detacher() {
        return detacher;
    }

    void closeStdinNow() {
        if (stdinFd >= 0) {
            LibC.close(stdinFd);
            stdinFd = -1;
        }
    }
}
