package dev.quiesce.engine;

import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.Signal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * A traced process as one session (one DAP client) sees it: the handle a client and the layers
 * above hold. Several sessions may debug one process (PRODUCT.md, "Attach request"): each has
 * its own handle, its own {@link ClientView} (which threads <em>it</em> stopped, an engine like
 * any other, so a thread runs only when no session holds it) and its own engines; one session's
 * stops are never told to another, and {@link #detach()} of one removes only its engines and
 * holds. What the sessions share (threads, int3 bytes, memory) is {@link ProcessCore}.
 *
 * <p>Its public methods returning futures may be called from any thread; the work happens on
 * the tracer thread ({@link #runOnTracer} now, {@link #queueBehindCurrentEvent} after the
 * current event). The public {@code ...Now} methods are for engine callbacks (tracer thread only).
 */
public final class TracedProcess implements ProgramState {
    final ProcessCore core;
    private final StopMode stopMode;
    /** This session launched the process (its disconnect kills it by default). */
    private final boolean launchedHere;
    final ProcessListener listener;
    final ClientView client;
    private final SignalPolicy signals = new SignalPolicy();
    /** Engines attached through this session, its view's included: they go when it leaves. Tracer thread. */
    final Set<EngineHandle> engines = new LinkedHashSet<>();

    TracedProcess(ProcessCore core, StopMode stopMode, ProcessListener listener, boolean launchedHere) {
        this.core = core;
        this.stopMode = stopMode;
        this.listener = listener;
        this.launchedHere = launchedHere;
        this.client = ClientView.of(this, stopMode, signals);
        EngineHandle clientHandle = new EngineHandle(core, this, client, ClientView.EVENTS, 0);
        client.attachTo(clientHandle);
        engines.add(clientHandle);
        core.engines.add(clientHandle);
    }

    public int pid() {
        return core.pid;
    }

    public String programName() {
        return core.program.getFileName().toString();
    }

    public Path program() {
        return core.program;
    }

    public StopMode stopMode() {
        return stopMode;
    }

    /** True for a process this session started (killed on disconnect), false for one it attached to. */
    public boolean launched() {
        return launchedHere;
    }

    Tracer tracer() {
        return core.tracer;
    }

    /** Completes when the process has exited (all of its threads reaped). */
    public CompletableFuture<ExitStatus> exited() {
        return core.exit;
    }

    /** Completes when stdout and stderr have reached end of file (at once for an attached process). */
    public CompletableFuture<Void> outputFinished() {
        return core.outputDone;
    }

    /** What happens to each signal in this session: stop, print, pass (gdb's defaults until changed). Thread-safe. */
    public SignalPolicy signalPolicy() {
        return signals;
    }

    /** Memory access that works while threads run (from any thread). */
    @Override
    public ProcessMemory memory() {
        return core.memory;
    }

    /** Fork children stay traced and are offered to this session's listener (followForks); else detached clean. */
    private volatile boolean followForks;

    /**
     * With {@code true}, a child of fork, vfork or clone without CLONE_VM stays traced, stopped
     * at its first stop, and this session's listener hears {@link ProcessListener#forkChildHeld}; a session
     * then takes it ({@link Tracer#adoptForkChild}, {@link Tracer#handOverForkChild}) or lets it
     * go ({@link Tracer#releaseForkChild}). With {@code false} (the default) children are detached clean.
     */
    public void followForks(boolean follow) {
        followForks = follow;
    }

    boolean followsForks() {
        return followForks;
    }

    // ---- client controls (any thread) ----

    /** Releases the program after launch: it runs from its first instruction. */
    public CompletableFuture<Void> start() {
        return core.tracer.run(() -> core.tracerOwned.release(null));
    }

    /** Releases the program but reports it stopped at its first instruction ({@link StopReason#ENTRY}). */
    public CompletableFuture<Void> startStopped() {
        return core.tracer.run(() -> core.tracerOwned.release(client));
    }

    /** Stops one thread (non-stop) or the whole process (all-stop) for this session; the stop goes to its listener. */
    public CompletableFuture<Void> pause(int tid) {
        return core.tracer.run(() -> {
            core.thread(tid);
            client.pause(tid);
        });
    }

    /** Resumes one thread this session sees stopped; a running thread (or one another session holds) is left alone. */
    public CompletableFuture<Void> resume(int tid) {
        return core.tracer.run(() -> {
            core.thread(tid);
            client.resume(tid);
        });
    }

    /** Resumes every thread this session sees stopped. */
    public CompletableFuture<Void> resumeAll() {
        return core.tracer.run(client::resumeAll);
    }

    /** The threads, stopped as this session sees them (a thread only another session stopped runs here), named from /proc. */
    @Override
    public CompletableFuture<List<ThreadInfo>> threads() {
        record Snapshot(int tid, boolean stopped) {
        }
        return core.tracer.submit(() -> {
            List<Snapshot> list = new ArrayList<>();
            for (TracedThread t : core.threads.values()) {
                if (t.live() && (t.initialStopSeen || t.running())) {
                    list.add(new Snapshot(t.tid, client.isReported(t.tid)));
                }
            }
            return list;
        }).thenApplyAsync(list -> list.stream() // the /proc reads off the tracer thread
                .map(t -> new ThreadInfo(t.tid(), ProcFs.threadName(core.pid, t.tid()).orElse("thread " + t.tid()), t.stopped()))
                .toList());
    }

    /** Whether this session sees the thread stopped; fails if there is no such thread. */
    @Override
    public CompletableFuture<Boolean> isStopped(int tid) {
        return core.tracer.submit(() -> stoppedNow(tid));
    }

    /** SIGKILL: the process ends at once, stopped threads included, for every session. Completes when it has exited. */
    public CompletableFuture<ExitStatus> kill() {
        // Once detached, the exit is not ours to see (and the process not ours to kill): fail, never wait.
        return core.tracer.run(() -> core.signalProcess(Signal.SIGKILL)).thenCompose(v -> core.exit);
    }

    /** Asks the program to end (SIGTERM) and lets every thread this session holds run so that it can. */
    public CompletableFuture<Void> terminate() {
        return core.tracer.run(() -> {
            // Our own SIGTERM is not a signal to stop at: it goes straight to the program.
            signals.set(Signal.SIGTERM.number(), new SignalPolicy.Handling(false, false, true));
            core.signalProcess(Signal.SIGTERM);
            client.releaseAll();
        });
    }

    /**
     * This session stops debugging the process. If another session still debugs it, only this
     * session's engines, breakpoints and holds go: the process and the other sessions stay
     * exactly as they were. The last session detaches from every thread, leaving the process as
     * if it had never been traced: every int3 byte restored, no trap flag, no pending stop,
     * pending signals delivered. Completes when done (the last thread detached).
     */
    public CompletableFuture<Void> detach() {
        CompletableFuture<Void> result = new CompletableFuture<>();
        core.tracer.run(() -> {
            if (!core.sessions.contains(this)) {
                result.completeExceptionally(new TracerException("this session no longer debugs process " + core.pid));
            } else if (core.sessions.size() > 1) {
                leave();
                result.complete(null);
            } else if (!core.seccompTraced.isEmpty()) {
                // SECCOMP_RET_TRACE with no tracer fails the syscall with ENOSYS: the program would
                // be left in a state it never reaches untraced.
                result.completeExceptionally(new TracerException("cannot detach from " + programName()
                        + ": its catchSyscalls seccomp filter needs a tracer (without one those syscalls fail with ENOSYS); end the program instead"));
            } else {
                client.releaseAll();
                core.detacher.begin(result);
            }
        }).whenComplete((ok, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            }
        });
        return result;
    }

    /** Another session stays: this one's holds are let go and its engines detached (their int3s with them). */
    private void leave() {
        client.releaseAll();
        if (core.debugRegistersOwner == this) { // its watchpoints out of every thread's debug registers
            core.debugRegistersOwner = null;
            writeDebugRegisters(List.of());
        }
        if (core.pageTraps.ownedBy(this)) { // its trapped pages get the program's protection back
            core.pageTraps.releaseAll();
        }
        // A function call this session's expression is making stays until it returns or times
        // out: only then can the thread get its registers back (ThreadCall detaches itself).
        Set<EngineHandle> calls = new java.util.HashSet<>();
        for (TracedThread t : core.threads.values()) {
            if (t.call != null && t.call.handle() != null) {
                calls.add(t.call.handle());
            }
        }
        for (EngineHandle handle : List.copyOf(engines)) {
            if (!calls.contains(handle)) {
                core.control.engineDetach(handle);
            }
        }
        core.sessions.remove(this);
    }

    /** Closes the program's stdin: its reads see end of file. */
    public CompletableFuture<Void> closeStdin() {
        return core.tracer.run(core::closeStdinNow);
    }

    /**
     * Attaches an engine of this session to the whole process ({@code tid} 0) or to one thread.
     * Its events start with the next stop; it is detached when the session detaches.
     */
    public CompletableFuture<EngineHandle> attach(Engine engine, Set<EventType> events, int tid) {
        return core.tracer.submit(() -> attachInternal(engine, events, tid));
    }

    EngineHandle attachInternal(Engine engine, Set<EventType> events, int tid) {
        return core.attachInternal(this, engine, events, tid);
    }

    /** Runs one thread this session sees stopped to its next syscall entry or exit (reason SYSCALL). */
    public CompletableFuture<Void> stepSyscall(int tid) {
        return core.tracer.run(() -> {
            core.thread(tid);
            client.stepSyscall(tid);
        });
    }

    /**
     * Reports a thread stopped to this session's client (reason breakpoint, step...) and holds it
     * until the client resumes it. Meant for this session's engines, from their callbacks: the
     * thread is stopped there, and the engine answers RESUME (the client's hold keeps it).
     */
    public CompletableFuture<Void> stopForClient(ThreadStop stop) {
        return runOnTracer(() -> {
            core.thread(stop.tid());
            client.reportStop(stop);
        });
    }

    /**
     * Puts these watchpoints in the debug registers of every thread (threads created later
     * too), replacing the previous set; empty removes them. One session at a time: another's
     * non-empty set fails while this one's are in. Running threads are interrupted
     * so that they have them at once; the future completes when the set is recorded.
     */
    public CompletableFuture<Void> setHardwareWatchpoints(List<HardwareWatch> watches) {
        return runOnTracer(() -> {
            if (core.debugRegistersOwner != null && core.debugRegistersOwner != this) {
                if (!watches.isEmpty()) {
                    throw new TracerException(ANOTHER_SESSION_WATCHES);
                }
                return; // none of the registers' watchpoints is this session's
            }
            core.debugRegistersOwner = watches.isEmpty() ? null : this;
            writeDebugRegisters(watches);
        });
    }

    private static final String ANOTHER_SESSION_WATCHES = "another client debugging this process has data breakpoints;"
            + " Quiesce does not share them between clients yet (remove them there first)";

    private void writeDebugRegisters(List<HardwareWatch> watches) {
        core.debugRegisters.set(watches);
        for (TracedThread t : core.threads.values()) {
            if (t.stopped() && !t.steppingOver) {
                core.debugRegisters.bringUpToDate(t);
            } else if (t.running() && !t.interruptSent) {
                core.tracerOwned.interrupt(t); // its stop restarts it through restart(): registers written there
            }
        }
    }

    /**
     * Traps every access to these ranges by page protection (writes; reads too if {@code reads})
     * for {@code owner}, which hears of each access that overlaps one as a
     * {@link ThreadEvent.PageAccess} (its mask must have PAGE_ACCESS); replaces the previous set,
     * empty releases it. Needs a thread stopped outside a syscall entry to change the pages'
     * protection; fails with the reason otherwise. One session at a time, like the debug
     * registers. See {@link PageTraps}.
     */
    public CompletableFuture<Void> trapPageAccesses(EngineHandle owner, List<MemoryRange> ranges, boolean reads) {
        return runOnTracer(() -> {
            if (core.sessions.stream().anyMatch(s -> s != this && core.pageTraps.ownedBy(s))) {
                if (!ranges.isEmpty()) {
                    throw new TracerException(ANOTHER_SESSION_WATCHES);
                }
                return; // none of the trapped pages is this session's
            }
            core.pageTraps.set(owner, ranges, reads);
        });
    }

    /** How many page faults the tracer took for trapped pages so far (tracer thread, or racy). */
    public long pageTrapFaults() {
        return core.pageTraps.faults;
    }

    /** Whether this session's client has been told the thread is stopped (tracer thread, or racy elsewhere). */
    public boolean isReportedStopped(int tid) {
        return client.isReported(tid);
    }

    /** Stops any thread at the entry of these syscalls (numbers) for this session; empty: no catchpoints. */
    public CompletableFuture<Void> catchSyscalls(Set<Long> numbers) {
        return core.tracer.run(() -> client.setCatchpoints(numbers));
    }

    /**
     * Reads the program's memory as the program sees it (our int3 bytes shown as the original
     * bytes); fewer bytes than asked when the range runs into unmapped memory. Threads may run.
     */
    @Override
    public CompletableFuture<byte[]> readMemory(long address, int length) {
        return core.tracer.submit(() -> core.readMemoryHere(address, length));
    }

    // ---- the two ways onto the tracer thread ----

    /**
     * Runs a task on the tracer thread <em>now</em>: at once when called there (an engine
     * callback; the task sees the thread states the callback sees), else queued like a command.
     * For layers above that must act on a stopped thread without racing its restart.
     */
    public CompletableFuture<Void> runOnTracer(Runnable task) {
        return core.runOnTracer(task);
    }

    /** {@link #runOnTracer(Runnable)} with an answer. */
    public <T> CompletableFuture<T> runOnTracer(Callable<T> task) {
        return core.runOnTracer(task);
    }

    /**
     * Queues a task for the tracer thread <em>behind</em> the work under way, even when called
     * from the tracer thread itself (an engine callback): it runs after the current event's
     * answers are recorded, and before any command queued later (a client's continue).
     */
    public CompletableFuture<Void> queueBehindCurrentEvent(Runnable task) {
        return core.queueBehindCurrentEvent(task);
    }

    // ---- synchronous accessors for engine callbacks (tracer thread only) ----

    /** Whether this session sees the thread stopped; throws if there is no such thread. Tracer thread only. */
    public boolean stoppedNow(int tid) {
        core.requireTracerThread("stoppedNow");
        core.thread(tid);
        return client.isReported(tid);
    }

    /** {@link #attach}, done before returning: its events start with the next stop. Tracer thread only. */
    public EngineHandle attachNow(Engine engine, Set<EventType> events, int tid) {
        core.requireTracerThread("attachNow");
        return attachInternal(engine, events, tid);
    }

    /**
     * {@link #readMemory}, answered before returning: at once on the tracer thread (engine
     * callbacks, where waiting on a tracer future would deadlock), else through the tracer.
     * The program's bytes, without our int3s.
     */
    @Override
    public byte[] readMemoryNow(long address, int length) {
        if (!core.tracer.isTracerThread()) {
            return readMemory(address, length).join(); // off the tracer: one trip there (never from a callback)
        }
        return core.readMemoryHere(address, length);
    }

    /** Writes the program's memory; breakpoints inside the range keep working over the new bytes. */
    public CompletableFuture<Void> writeMemory(long address, byte[] data) {
        return core.tracer.run(() -> {
            core.memory.write(address, data);
            core.breakpoints.written(address, data);
        });
    }

    @Override
    public CompletableFuture<Registers> registers(int tid) {
        return core.tracer.submit(() -> core.control.registersOf(tid));
    }

    /** A readable dump of every thread's state, for diagnosing a stuck debuggee. */
    public CompletableFuture<String> describeState() {
        return core.tracer.submit(() -> {
            StringBuilder out = new StringBuilder("process " + core.pid + core.stepOvers.describe()
                    + (core.sessions.size() > 1 ? ", " + core.sessions.size() + " sessions" : "") + "\n");
            core.threads.values().forEach(t -> out.append("  ").append(t.describe()).append("\n"));
            return out.toString();
        });
    }
}
