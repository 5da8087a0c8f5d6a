package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.Signal;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Logger;

/**
 * A traced process as any thread sees it: the handle a client and the layers above hold. Its
 * public methods returning futures may be called from any thread; the work happens on the tracer
 * thread ({@link #runOnTracer} now, {@link #queueBehindCurrentEvent} after the current event).
 * The public {@code ...Now} methods are for engine callbacks (tracer thread only). What only the
 * tracer thread touches (stops, restarts, the threads' lifecycle) is {@link TracerOwnedState};
 * the fields here that it shares (threads, engines, breakpoints) are the tracer thread's too.
 */
public final class TracedProcess implements ProgramState {
    private static final Logger LOG = Logger.getLogger(TracedProcess.class.getName());

    final Tracer tracer;
    final int pid;
    private final Path program;
    private final StopMode stopMode;
    final boolean launched;
    final ProcessListener listener;
    final Map<Integer, TracedThread> threads = new LinkedHashMap<>();
    /** Copy-on-write: delivery iterates a snapshot while callbacks may attach or detach engines. */
    final List<EngineHandle> engines = new java.util.concurrent.CopyOnWriteArrayList<>();
    final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();
    final CompletableFuture<Void> outputDone = new CompletableFuture<>();
    final ClientView client;
    private final SignalPolicy signals = new SignalPolicy();
    /** Syscalls the launcher's seccomp filter traps (catchSyscalls at launch); fixed for the process's life. */
    final Set<Long> seccompTraced;
    final EngineControl control = new EngineControl(this);
    /** Replaced on exec (tracer thread); read from any thread, hence volatile. */
    volatile ProcessMemory memory;
    Breakpoints breakpoints;
    private int stdinFd;
    /** Fork children stay traced and are offered to the listener (followForks); else detached clean. */
    private volatile boolean followForks;

    /** Threads, stops, restarts and lifecycle: the state only the tracer thread touches. */
    final TracerOwnedState tracerOwned;
    final StepOvers stepOvers = new StepOvers(this);
    final Detacher detacher = new Detacher(this);
    final DebugRegisters debugRegisters = new DebugRegisters();
    final PageTraps pageTraps = new PageTraps(this);

    TracedProcess(Tracer tracer, int pid, Path program, StopMode stopMode, ProcessListener listener,
            int stdinFd, boolean launched, Set<Long> seccompTraced) {
        this.seccompTraced = Set.copyOf(seccompTraced);
        this.tracer = tracer;
        this.pid = pid;
        this.program = program;
        this.stopMode = stopMode;
        this.listener = listener;
        this.stdinFd = stdinFd;
        this.launched = launched;
        this.tracerOwned = new TracerOwnedState(this, launched);
        try {
            this.memory = new ProcessMemory(pid);
        } catch (IOException e) {
            throw new TracerException("cannot open the memory of process " + pid + ": " + e.getMessage(), e);
        }
        this.breakpoints = new Breakpoints(memory);
        this.client = new ClientView(this, listener, stopMode, signals);
        EngineHandle clientHandle = new EngineHandle(this, client, ClientView.EVENTS, 0);
        client.attachTo(clientHandle);
        engines.add(clientHandle);
    }

    public int pid() {
        return pid;
    }

    public String programName() {
        return program.getFileName().toString();
    }

    public Path program() {
        return program;
    }

    public StopMode stopMode() {
        return stopMode;
    }

    /** True for a process we started (killed on disconnect), false for one we attached to. */
    public boolean launched() {
        return launched;
    }

    Tracer tracer() {
        return tracer;
    }

    /** Completes when the process has exited (all of its threads reaped). */
    public CompletableFuture<ExitStatus> exited() {
        return exit;
    }

    /** Completes when stdout and stderr have reached end of file (at once for an attached process). */
    public CompletableFuture<Void> outputFinished() {
        return outputDone;
    }

    /** What happens to each signal: stop, print, pass (gdb's defaults until changed). Thread-safe. */
    public SignalPolicy signalPolicy() {
        return signals;
    }

    /** Memory access that works while threads run (from any thread). */
    public ProcessMemory memory() {
        return memory;
    }

    /**
     * With {@code true}, a child of fork, vfork or clone without CLONE_VM stays traced, stopped
     * at its first stop, and the listener hears {@link ProcessListener#forkChildHeld}; a session
     * then takes it ({@link Tracer#adoptForkChild}, {@link Tracer#handOverForkChild}) or lets it
     * go ({@link Tracer#releaseForkChild}). With {@code false} (the default) children are detached clean.
     */
    public void followForks(boolean follow) {
        followForks = follow;
    }

    boolean followsForks() {
        return followForks && !detacher.active();
    }

    // ---- client controls (any thread) ----

    /** Releases the program after launch: it runs from its first instruction. */
    public CompletableFuture<Void> start() {
        return tracer.run(() -> tracerOwned.release(false));
    }

    /** Releases the program but reports it stopped at its first instruction ({@link StopReason#ENTRY}). */
    public CompletableFuture<Void> startStopped() {
        return tracer.run(() -> tracerOwned.release(true));
    }

    /** Stops one thread (non-stop) or the whole process (all-stop); the stop goes to the listener. */
    public CompletableFuture<Void> pause(int tid) {
        return tracer.run(() -> {
            thread(tid);
            client.pause(tid);
        });
    }

    /** Resumes one thread the client sees stopped; a running thread is left alone. */
    public CompletableFuture<Void> resume(int tid) {
        return tracer.run(() -> {
            thread(tid);
            client.resume(tid);
        });
    }

    /** Resumes every thread the client sees stopped. */
    public CompletableFuture<Void> resumeAll() {
        return tracer.run(client::resumeAll);
    }

    /** The threads as the client sees them, named from /proc. */
    public CompletableFuture<List<ThreadInfo>> threads() {
        record Snapshot(int tid, boolean stopped) {
        }
        return tracer.submit(() -> {
            List<Snapshot> list = new ArrayList<>();
            for (TracedThread t : threads.values()) {
                if (t.live() && (t.initialStopSeen || t.running())) {
                    list.add(new Snapshot(t.tid, client.isReported(t.tid)));
                }
            }
            return list;
        }).thenApplyAsync(list -> list.stream() // the /proc reads off the tracer thread
                .map(t -> new ThreadInfo(t.tid(), ProcFs.threadName(pid, t.tid()).orElse("thread " + t.tid()), t.stopped()))
                .toList());
    }

    /** Whether the client sees the thread stopped; fails if there is no such thread. */
    public CompletableFuture<Boolean> isStopped(int tid) {
        return tracer.submit(() -> stoppedNow(tid));
    }

    /** SIGKILL: the process ends at once, stopped threads included. Completes when it has exited. */
    public CompletableFuture<ExitStatus> kill() {
        // Once detached, the exit is not ours to see (and the process not ours to kill): fail, never wait.
        return tracer.run(() -> signalProcess(Signal.SIGKILL)).thenCompose(v -> exit);
    }

    /** Asks the program to end (SIGTERM) and lets every thread the client holds run so that it can. */
    public CompletableFuture<Void> terminate() {
        return tracer.run(() -> {
            // Our own SIGTERM is not a signal to stop at: it goes straight to the program.
            signals.set(Signal.SIGTERM.number(), new SignalPolicy.Handling(false, false, true));
            signalProcess(Signal.SIGTERM);
            client.releaseAll();
        });
    }

    /**
     * Detaches from every thread, leaving the process as if it had never been traced: every
     * int3 byte restored, no trap flag, no pending stop, pending signals delivered.
     * Completes when the last thread is detached.
     */
    public CompletableFuture<Void> detach() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        if (!seccompTraced.isEmpty()) {
            // SECCOMP_RET_TRACE with no tracer fails the syscall with ENOSYS: the program would
            // be left in a state it never reaches untraced.
            result.completeExceptionally(new TracerException("cannot detach from " + programName()
                    + ": its catchSyscalls seccomp filter needs a tracer (without one those syscalls fail with ENOSYS); end the program instead"));
            return result;
        }
        tracer.run(() -> {
            client.releaseAll();
            detacher.begin(result);
        });
        return result;
    }

    /** Closes the program's stdin: its reads see end of file. */
    public CompletableFuture<Void> closeStdin() {
        return tracer.run(this::closeStdinNow);
    }

    /**
     * Attaches an engine to the whole process ({@code tid} 0) or to one thread. Its events
     * start with the next stop.
     */
    public CompletableFuture<EngineHandle> attach(Engine engine, Set<EventType> events, int tid) {
        return tracer.submit(() -> attachInternal(engine, events, tid));
    }

    EngineHandle attachInternal(Engine engine, Set<EventType> events, int tid) {
        if (tid != 0) {
            thread(tid);
        }
        EngineHandle handle = new EngineHandle(this, engine, events, tid);
        engines.add(handle);
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

    /** Runs one thread the client sees stopped to its next syscall entry or exit (reason SYSCALL). */
    public CompletableFuture<Void> stepSyscall(int tid) {
        return tracer.run(() -> {
            thread(tid);
            client.stepSyscall(tid);
        });
    }

    /**
     * Reports a thread stopped to the client (reason breakpoint, step...) and holds it until the
     * client resumes it. Meant for engines of the layers above, from their callbacks: the thread
     * is stopped there, and the engine answers RESUME (the client's hold keeps it).
     */
    public CompletableFuture<Void> stopForClient(ThreadStop stop) {
        return runOnTracer(() -> {
            thread(stop.tid());
            client.reportStop(stop);
        });
    }

    /**
     * Puts these watchpoints in the debug registers of every thread (threads created later
     * too), replacing the previous set; empty removes them. Running threads are interrupted
     * so that they have them at once; the future completes when the set is recorded.
     */
    public CompletableFuture<Void> setHardwareWatchpoints(List<HardwareWatch> watches) {
        return runOnTracer(() -> {
            debugRegisters.set(watches);
            for (TracedThread t : threads.values()) {
                if (t.stopped() && !t.steppingOver) {
                    debugRegisters.bringUpToDate(t);
                } else if (t.running() && !t.interruptSent) {
                    tracerOwned.interrupt(t); // its stop restarts it through restart(): registers written there
                }
            }
        });
    }

    /**
     * Traps every access to these ranges by page protection (writes; reads too if {@code reads})
     * for {@code owner}, which hears of each access that overlaps one as a
     * {@link ThreadEvent.PageAccess} (its mask must have PAGE_ACCESS); replaces the previous set,
     * empty releases it. Needs a thread stopped outside a syscall entry to change the pages'
     * protection; fails with the reason otherwise. See {@link PageTraps}.
     */
    public CompletableFuture<Void> trapPageAccesses(EngineHandle owner, List<MemoryRange> ranges, boolean reads) {
        return runOnTracer(() -> pageTraps.set(owner, ranges, reads));
    }

    /** How many page faults the tracer took for trapped pages so far (tracer thread, or racy). */
    public long pageTrapFaults() {
        return pageTraps.faults;
    }

    /** Whether the client has been told the thread is stopped (tracer thread, or racy elsewhere). */
    public boolean isReportedStopped(int tid) {
        return client.isReported(tid);
    }

    /** Stops any thread at the entry of these syscalls (numbers); empty: no catchpoints. */
    public CompletableFuture<Void> catchSyscalls(Set<Long> numbers) {
        return tracer.run(() -> client.setCatchpoints(numbers));
    }

    /**
     * Reads the program's memory as the program sees it (our int3 bytes shown as the original
     * bytes); fewer bytes than asked when the range runs into unmapped memory. Threads may run.
     */
    public CompletableFuture<byte[]> readMemory(long address, int length) {
        return tracer.submit(() -> {
            byte[] bytes = memory.read(address, length);
            breakpoints.shadow(address, bytes, bytes.length);
            return bytes;
        });
    }

    // ---- the two ways onto the tracer thread ----

    /**
     * Runs a task on the tracer thread <em>now</em>: at once when called there (an engine
     * callback; the task sees the thread states the callback sees), else queued like a command.
     * For layers above that must act on a stopped thread without racing its restart.
     */
    public CompletableFuture<Void> runOnTracer(Runnable task) {
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

    /** {@link #runOnTracer(Runnable)} with an answer. */
    public <T> CompletableFuture<T> runOnTracer(Callable<T> task) {
        if (tracer.isTracerThread()) {
            try {
                return CompletableFuture.completedFuture(task.call());
            } catch (Exception e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return tracer.submit(task);
    }

    /**
     * Queues a task for the tracer thread <em>behind</em> the work under way, even when called
     * from the tracer thread itself (an engine callback): it runs after the current event's
     * answers are recorded, and before any command queued later (a client's continue).
     */
    public CompletableFuture<Void> queueBehindCurrentEvent(Runnable task) {
        return tracer.run(task);
    }

    // ---- synchronous accessors for engine callbacks (tracer thread only) ----

    /** Whether the client sees the thread stopped; throws if there is no such thread. Tracer thread only. */
    public boolean stoppedNow(int tid) {
        requireTracerThread("stoppedNow");
        thread(tid);
        return client.isReported(tid);
    }

    /** {@link #attach}, done before returning: its events start with the next stop. Tracer thread only. */
    public EngineHandle attachNow(Engine engine, Set<EventType> events, int tid) {
        requireTracerThread("attachNow");
        return attachInternal(engine, events, tid);
    }

    void requireTracerThread(String what) {
        if (!tracer.isTracerThread()) {
            throw new IllegalStateException(what + " is for the tracer thread (engine callbacks, runOnTracer); elsewhere use the future-returning form");
        }
    }

    /**
     * {@link #readMemory}, answered before returning: at once on the tracer thread (engine
     * callbacks, where waiting on a tracer future would deadlock), else through the tracer.
     * The program's bytes, without our int3s.
     */
    public byte[] readMemoryNow(long address, int length) {
        if (!tracer.isTracerThread()) {
            return readMemory(address, length).join(); // off the tracer: one trip there (never from a callback)
        }
        byte[] bytes = memory.read(address, length);
        breakpoints.shadow(address, bytes, bytes.length);
        return bytes;
    }

    /** Writes the program's memory; breakpoints inside the range keep working over the new bytes. */
    public CompletableFuture<Void> writeMemory(long address, byte[] data) {
        return tracer.run(() -> {
            memory.write(address, data);
            breakpoints.written(address, data);
        });
    }

    public CompletableFuture<Registers> registers(int tid) {
        return tracer.submit(() -> control.registersOf(tid));
    }

    /** A readable dump of every thread's state, for diagnosing a stuck debuggee. */
    public CompletableFuture<String> describeState() {
        return tracer.submit(() -> {
            StringBuilder out = new StringBuilder("process " + pid + stepOvers.describe() + "\n");
            threads.values().forEach(t -> out.append("  ").append(t.describe()).append("\n"));
            return out.toString();
        });
    }

    // ---- engine plumbing (tracer thread) ----

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

    private void signalProcess(Signal signal) {
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
