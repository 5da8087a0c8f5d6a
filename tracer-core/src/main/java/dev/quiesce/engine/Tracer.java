package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.WaitStatus;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Ptrace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tracer thread: one dedicated platform thread that makes every ptrace and wait call
 * (ARCHITECTURE.md fact 1). Other threads post commands and get futures.
 *
 * <p>The loop: run queued commands; then, if none is left, block in
 * waitpid(-1, __WALL | __WNOTHREAD | WUNTRACED) until a traced thread changes state or another
 * thread wakes us through the {@link Waker} child; then drain every other status with WNOHANG.
 * __WNOTHREAD keeps us from reaping children of other JVM threads (ProcessBuilder's).
 *
 * <p>One Tracer serves every process of the JVM (every DAP session).
 */
public final class Tracer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tracer.class.getName());
    private static final int WNOHANG = 1;
    private static final int WNOTHREAD = 0x20000000;
    private static final int WALL = 0x40000000;

    /** ptrace options for every thread we trace (ARCHITECTURE.md fact 4). */
    static final int TRACE_OPTIONS = Ptrace.O_TRACECLONE | Ptrace.O_TRACEEXEC | Ptrace.O_TRACEFORK
            | Ptrace.O_TRACEVFORK | Ptrace.O_TRACEVFORKDONE | Ptrace.O_TRACESYSGOOD
            // EXIT: a leader that calls pthread_exit becomes a zombie that never stops again; its
            // exit stop is how we learn not to wait for it (pitfall "zombie leader").
            | Ptrace.O_TRACEEXIT
            // SECCOMP: syscall catchpoints given at launch stop through a seccomp filter, so the
            // other syscalls cost nothing (no PTRACE_SYSCALL stop for each).
            | Ptrace.O_TRACESECCOMP;

    private static Tracer shared;

    private static final int WUNTRACED = 2;

    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Waker waker = new Waker();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;
    /** A command was queued and the waker stopped since the tracer last looked (one SIGSTOP per wake). */
    private final java.util.concurrent.atomic.AtomicBoolean commandsPosted = new java.util.concurrent.atomic.AtomicBoolean();

    /** Every traced thread of every process, by tid. Tracer thread only. */
    private final Map<Integer, TracedThread> threads = new HashMap<>();
    /** Processes by pid. Tracer thread only. */
    private final Map<Integer, ProcessCore> processes = new HashMap<>();
    /** Launches between spawn and exec, by pid. Tracer thread only. */
    private final Map<Integer, Launch> launches = new HashMap<>();
    /** Fork children announced by their parent's event, waiting for their first stop to be detached. */
    private final Map<Integer, ForkChild> forkChildren = new HashMap<>();
    /**
     * Stops of processes nobody announced yet (a fork child's stop can precede the parent's
     * event), by pid, with the parent of ours they are waiting for.
     */
    private final Map<Integer, Integer> orphanStops = new HashMap<>();

    private record ForkChild(ProcessCore parent, boolean vfork) {
    }

    /** Fork children of parents that follow forks, kept traced until a session takes them. */
    private final HeldForks heldForks = new HeldForks();

    private Tracer() {
        thread = new Thread(this::loop, "quiesce-tracer");
        thread.setDaemon(true);
        thread.start();
        ready.join(); // the waker exists before anyone can submit
    }

    /** The JVM's tracer, started on first use. */
    public static synchronized Tracer shared() {
        if (shared == null || shared.closed) {
            shared = new Tracer();
        }
        return shared;
    }

    /** Runs {@code command} on the tracer thread. */
    public <T> CompletableFuture<T> submit(Callable<T> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (closed) {
            result.completeExceptionally(new TracerException("the tracer has shut down"));
            return result;
        }
        commands.add(() -> {
            try {
                result.complete(command.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        if (commandsPosted.compareAndSet(false, true)) {
            waker.wake();
        }
        return result;
    }

    public CompletableFuture<Void> run(Runnable command) {
        return submit(() -> {
            command.run();
            return null;
        });
    }

    boolean isTracerThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * Starts {@code spec.program()} under ptrace. The future completes once the program has
     * exec'd, with its main thread held at the first instruction until {@link TracedProcess#start()};
     * it fails with a {@link TracerException} naming the problem when the program cannot run.
     */
    public CompletableFuture<TracedProcess> launch(LaunchSpec spec, ProcessListener listener, OutputListener output) {
        CompletableFuture<TracedProcess> result = new CompletableFuture<>();
        run(() -> {
            try {
                Launch launch = Launch.spawn(this, spec, listener, output, result);
                launches.put(launch.pid(), launch);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** How long a terminal's launcher may take to report once the client said it started it. */
    private static final long TERMINAL_REPORT_MILLIS = 30_000;

    /**
     * Like {@link #launch}, but the launcher runs in a terminal: {@code starter} gets its command
     * line and runs it (DAP runInTerminal; the future completes when it has started), the launcher
     * reports to a {@link TerminalHandshake} and is seized there. The program's stdio is that terminal.
     */
    public CompletableFuture<TracedProcess> launchInTerminal(LaunchSpec spec,
            java.util.function.Function<List<String>, CompletableFuture<?>> starter, ProcessListener listener) {
        CompletableFuture<TracedProcess> result = new CompletableFuture<>();
        TerminalHandshake handshake = new TerminalHandshake();
        starter.apply(Launch.command(spec, handshake.socketPath()))
                .thenApplyAsync(started -> handshake.awaitLauncher(TERMINAL_REPORT_MILLIS), Tracer::handshakeThread)
                .thenAccept(pid -> run(() -> seizeHeld(spec, listener, pid, pid, handshake, result)))
                .whenComplete((ok, failure) -> failHeld(handshake, result, failure));
        return result;
    }

    /**
     * attach's waitFor: the first process that execs {@code program} from now on, caught inside
     * that execve (see {@link ExecCatcher}) and held at its exec like a launched program until
     * {@link TracedProcess#start()}. Fails at once, saying why, where fanotify cannot be used.
     */
    public CompletableFuture<TracedProcess> waitForExec(Path program, StopMode mode, ProcessListener listener,
            java.util.function.BooleanSupplier cancelled) {
        CompletableFuture<TracedProcess> result = new CompletableFuture<>();
        ExecCatcher catcher = ExecCatcher.watch(program);
        LaunchSpec spec = new LaunchSpec(program, List.of(), Path.of("/"), Map.of(), false, mode);
        CompletableFuture.supplyAsync(() -> catcher.awaitExec(cancelled), Tracer::handshakeThread)
                .thenAccept(tid -> run(() -> {
                    // An exec from another thread than the leader ends as the leader (tid becomes tgid).
                    int tgid = ProcFs.threadGroupOf(tid).orElse(tid);
                    seizeHeld(spec, listener, tid, tgid, catcher, result);
                }))
                .whenComplete((ok, failure) -> failHeld(catcher, result, failure));
        return result;
    }

    /** Tracer thread: seizes {@code tid}, held before its exec, and waits for the exec as a launch of process {@code pid}. */
    private void seizeHeld(LaunchSpec spec, ProcessListener listener, int tid, int pid, HeldExec held,
            CompletableFuture<TracedProcess> result) {
        try {
            launches.put(pid, Launch.seize(this, spec, listener, tid, pid, held, result));
        } catch (RuntimeException e) {
            if (!held.attached()) {
                LibC.kill(tid, dev.quiesce.linux.Signal.SIGKILL.number()); // our launcher waits for a go that never comes
            }
            held.close(); // a caught exec goes on untraced
            result.completeExceptionally(e);
        }
    }

    private static void failHeld(HeldExec held, CompletableFuture<TracedProcess> result, Throwable failure) {
        if (failure != null) {
            held.close();
            result.completeExceptionally(failure instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : failure);
        }
    }

    /** Waiting for a terminal's launcher blocks: on a thread of its own, neither the tracer's nor the caller's. */
    private static void handshakeThread(Runnable wait) {
        Thread t = new Thread(wait, "quiesce-terminal-handshake");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Attaches to a running process: seizes every thread in /proc/PID/task, rescanning until no
     * new one appears (threads born meanwhile of a seized thread are traced by TRACECLONE).
     * Nothing is stopped; the process runs on. A process this tracer already debugs (for another
     * session) gets one more session: a view and engines of its own beside the others' (see
     * {@link TracedProcess}).
     */
    public CompletableFuture<TracedProcess> attach(int pid, StopMode mode, ProcessListener listener) {
        return submit(() -> {
            ProcessCore known = processes.get(pid);
            if (known != null) {
                return known.addSession(mode, listener, false);
            }
            Path exe;
            try {
                exe = Path.of("/proc", Integer.toString(pid), "exe").toRealPath();
            } catch (IOException e) {
                throw new TracerException("no process with id " + pid + " (or no permission to see it)");
            }
            try {
                Ptrace.seize(pid, TRACE_OPTIONS);
            } catch (LastErrorException e) {
                throw new TracerException("cannot attach to process " + pid + ": " + Errno.describe(e.getErrorCode())
                        + (e.getErrorCode() == Errno.EPERM ? " (is it traced already, or not yours?)" : ""));
            }
            ProcessCore process = new ProcessCore(this, pid, exe, -1, false, java.util.Set.of());
            TracedProcess session = process.addSession(mode, listener, false);
            processes.put(pid, process);
            TracedThread leader = process.tracerOwned.adoptThread(pid);
            leader.initialStopSeen = true;
            Set<Integer> seen = new HashSet<>(Set.of(pid));
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int tid : ProcFs.tasks(pid)) {
                    if (seen.add(tid)) {
                        grew = true;
                        try {
                            Ptrace.seize(tid, TRACE_OPTIONS);
                            TracedThread t = process.tracerOwned.adoptThread(tid);
                            t.initialStopSeen = true;
                        } catch (LastErrorException e) {
                            // EPERM: already ours through TRACECLONE; ESRCH: it exited meanwhile.
                        }
                    }
                }
            }
            process.tracerOwned.noOutput();
            return session;
        });
    }

    /** A fork child was announced by its parent: detach it once it has stopped (maybe already). */
    void forkChild(int pid, ProcessCore parent, boolean vfork) {
        if (orphanStops.remove(pid) != null) {
            forkChildStopped(pid, parent, vfork, true);
        } else {
            forkChildren.put(pid, new ForkChild(parent, vfork));
        }
    }

    /**
     * A fork child at its first stop. A fork child has a copy of the parent's memory, int3 bytes
     * and all: they are restored in the copy first. A vfork child shares the parent's memory,
     * whose breakpoints are lifted until the parent's VFORK_DONE. Pages trapped for watchpoints
     * get the program's protection back in the child (for a vfork child: in the shared memory,
     * until the parent's next stop after its VFORK_DONE; see {@link PageTraps#releaseInChild}).
     * Then the child runs on untraced, or, if the parent follows forks, stays traced and stopped
     * for a session to take ({@link HeldForks}).
     */
    private void forkChildStopped(int pid, ProcessCore parent, boolean vfork, boolean follow) {
        if (!vfork && !parent.breakpoints.isEmpty()) {
            try (ProcessMemory copy = new ProcessMemory(pid)) {
                parent.breakpoints.cleanCopy(copy);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cannot clean breakpoints out of fork child " + pid, e);
            }
        }
        int signal = parent.pageTraps.releaseInChild(pid, vfork);
        if (follow && parent.followsForks()) {
            heldForks.hold(pid, parent, vfork, signal);
            return;
        }
        try {
            Ptrace.detach(pid, signal);
        } catch (LastErrorException e) {
            LOG.fine(() -> "detach fork child " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    /**
     * Takes a fork child held for a parent that follows forks (see {@link TracedProcess#followForks}):
     * a process of its own from now on, stopped where it forked and held there until
     * {@link TracedProcess#start()}, like a launched program at its exec. Fails if this tracer
     * does not hold it.
     */
    public CompletableFuture<TracedProcess> adoptForkChild(int pid, StopMode mode, ProcessListener listener) {
        return submit(() -> {
            HeldForks.Held held = heldForks.take(pid);
            return heldChild(pid, mode, listener, held.vfork(), held.signal());
        });
    }

    /** Lets a held fork child run on untraced; false if this tracer did not hold it (taken, gone). */
    public CompletableFuture<Boolean> releaseForkChild(int pid) {
        return submit(() -> {
            if (!heldForks.holds(pid)) {
                return false;
            }
            heldForks.release(pid);
            return true;
        });
    }

    /** Hands a held fork child to another tracer (another process): see {@link HeldForks#handOver}. */
    public CompletableFuture<ForkHandover> handOverForkChild(int pid) {
        return submit(() -> heldForks.handOver(pid));
    }

    /**
     * The other side of {@link #handOverForkChild}, in this tracer: seizes the child and holds it
     * like {@link #adoptForkChild} does. A vfork child is taken for one that shares memory with
     * its parent ({@code vfork}).
     */
    public CompletableFuture<TracedProcess> takeOverForkChild(ForkHandover handover, boolean vfork, StopMode mode,
            ProcessListener listener) {
        return submit(() -> {
            if (processes.containsKey(handover.pid())) {
                throw new TracerException("process " + handover.pid() + " is already being debugged");
            }
            int signal = HeldForks.takeOver(handover);
            return heldChild(handover.pid(), mode, listener, vfork, signal);
        });
    }

    /** A handover whose receiver never confirmed: the child runs on untraced unless somebody traces it. */
    public CompletableFuture<Boolean> recoverForkChild(ForkHandover handover) {
        return submit(() -> HeldForks.recover(handover));
    }

    private TracedProcess heldChild(int pid, StopMode mode, ProcessListener listener, boolean vfork, int signal) {
        Path exe;
        try {
            exe = Path.of("/proc", Integer.toString(pid), "exe").toRealPath();
        } catch (IOException e) {
            exe = Path.of("/proc", Integer.toString(pid), "exe");
        }
        ProcessCore process = new ProcessCore(this, pid, exe, -1, false, Set.of());
        TracedProcess session = process.addSession(mode, listener, false);
        process.tracerOwned.holdAtExecUntilStart();
        TracedThread main = process.tracerOwned.adoptThread(pid);
        main.kernel = KernelState.STOPPED; // at its first stop
        main.initialStopSeen = true;
        main.pendingSignal = signal;
        process.tracerOwned.holdMainAtExec(main);
        if (vfork) {
            // Until it execs or exits it runs in its parent's memory: an int3 of its own there
            // would be met by the parent (and stay behind after the exec).
            process.breakpoints.deferUntilExec();
        }
        processes.put(pid, process);
        process.tracerOwned.noOutput(); // its output goes where its parent's goes
        return session;
    }

    private static void detachUnknown(int tid) {
        try {
            Ptrace.detach(tid, 0);
        } catch (LastErrorException e) {
            LOG.fine(() -> "detach " + tid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    void register(ProcessCore process) {
        processes.put(process.pid(), process);
    }

    void register(TracedThread thread) {
        threads.put(thread.tid, thread);
    }

    void forget(TracedThread thread) {
        threads.remove(thread.tid);
    }

    void forget(ProcessCore process) {
        processes.remove(process.pid());
        // Its fork children still waiting for its fork event wait in vain once it ended (killed
        // inside fork: a fatal signal skips the event stop) or was detached. Stopped and traced,
        // they would stay so for good, even through SIGKILL; untraced they would run.
        orphanStops.entrySet().removeIf(orphan -> {
            if (orphan.getValue() != process.pid()) {
                return false;
            }
            forkChildStopped(orphan.getKey(), process, false, false); // vfork or not: its memory gets the original bytes
            return true;
        });
    }

    private void loop() {
        try {
            waker.spawn();
            ready.complete(null);
        } catch (RuntimeException e) {
            ready.completeExceptionally(e);
            return;
        }
        int[] status = new int[1];
        while (!closed) {
            Runnable command;
            while ((command = commands.poll()) != null) {
                runSafely(command);
            }
            // The flag first: a submitter after this point stops the waker again.
            commandsPosted.set(false);
            if (!commands.isEmpty()) {
                continue;
            }
            int tid;
            try {
                tid = LibC.waitpid(-1, status, WALL | WNOTHREAD | WUNTRACED);
            } catch (LastErrorException e) {
                continue; // EINTR
            }
            // One status per pass: queued commands get their turn between any two events.
            statusOf(tid, status[0]);
        }
    }

    private void statusOf(int tid, int raw) {
        if (tid == waker.pid()) {
            WaitStatus ws = new WaitStatus(tid, raw);
            if (ws.stopped()) {
                waker.rearm();
            } else {
                waker.spawn(); // somebody killed it
            }
            return;
        }
        WaitStatus ws = new WaitStatus(tid, raw);
        runSafely(() -> dispatch(ws));
    }

    private void dispatch(WaitStatus ws) {
        TracedThread t = threads.get(ws.tid());
        if (t != null) {
            t.process.tracerOwned.handle(t, ws);
            return;
        }
        Launch launch = launches.get(ws.tid());
        if (launch != null) {
            if (launch.handle(ws)) {
                launches.remove(ws.tid());
            }
            return;
        }
        ForkChild child = forkChildren.remove(ws.tid());
        if (child != null) {
            if (ws.stopped()) {
                forkChildStopped(ws.tid(), child.parent(), child.vfork(), true);
            }
            return;
        }
        // A new thread's first stop can arrive before its parent's PTRACE_EVENT_CLONE,
        // and a fork child's before its parent's PTRACE_EVENT_FORK.
        if (ws.stopped()) {
            ProcessCore owner = ProcFs.threadGroupOf(ws.tid()).map(processes::get).orElse(null);
            if (owner != null) {
                TracedThread created = owner.tracerOwned.adoptThread(ws.tid());
                owner.tracerOwned.handle(created, ws);
            } else {
                int parent = ProcFs.parentOf(ws.tid()).orElse(0);
                if (processes.containsKey(parent)) {
                    orphanStops.put(ws.tid(), parent);
                } else {
                    // Its parent is none of ours (any more): it ended before reporting the fork,
                    // and this child is ours only by inheritance. Let it run untraced.
                    detachUnknown(ws.tid());
                }
            }
            return;
        }
        LOG.fine(() -> "status for an unknown thread: " + ws);
    }

    private static void runSafely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "tracer command failed", e);
        }
    }

    @Override
    public void close() {
        closed = true;
        waker.wake();
    }
}
