package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.EventFd;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.Poller;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.SigchldWakeup;
import dev.quiesce.linux.WaitStatus;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The tracer thread: one dedicated platform thread that makes every ptrace and wait call
 * (ARCHITECTURE.md fact 1). Other threads post commands and get futures.
 *
 * <p>The loop: run queued commands, drain waitpid(-1, __WALL | __WNOTHREAD | WNOHANG), and when
 * both are empty block in poll() on two eventfds, one bumped by {@link #submit} and one by the
 * SIGCHLD handler of libquiesce-wake.so. Each eventfd is reset <em>before</em> its source is
 * drained, so an event that arrives mid-drain leaves it readable: nothing is lost and nothing spins.
 *
 * <p>One Tracer serves every process of the JVM (every DAP session).
 */
public final class Tracer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Tracer.class.getName());
    private static final int WNOHANG = 1;
    private static final int WNOTHREAD = 0x20000000;
    private static final int WALL = 0x40000000;

    private static Tracer shared;

    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final EventFd commandWakeup = new EventFd();
    private final EventFd childWakeup = new EventFd();
    private final Thread thread;
    private volatile boolean closed;

    /** Every traced thread of every process, by tid. Tracer thread only. */
    private final Map<Integer, TracedThread> threads = new HashMap<>();
    /** Processes by pid. Tracer thread only. */
    private final Map<Integer, TracedProcess> processes = new HashMap<>();
    /** Launches between spawn and exec, by pid. Tracer thread only. */
    private final Map<Integer, Launch> launches = new HashMap<>();

    private Tracer() {
        SigchldWakeup.install(childWakeup);
        thread = new Thread(this::loop, "quiesce-tracer");
        thread.setDaemon(true);
        thread.start();
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
        commandWakeup.signal();
        return result;
    }

    public CompletableFuture<Void> run(Runnable command) {
        return submit(() -> {
            command.run();
            return null;
        });
    }

    boolean onTracerThread() {
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

    void register(TracedProcess process) {
        processes.put(process.pid(), process);
    }

    void register(TracedThread thread) {
        threads.put(thread.tid, thread);
    }

    void forget(TracedThread thread) {
        threads.remove(thread.tid);
    }

    void forget(TracedProcess process) {
        processes.remove(process.pid());
    }

    private void loop() {
        Poller poller = new Poller(commandWakeup.fd(), childWakeup.fd());
        while (!closed) {
            boolean worked = false;
            commandWakeup.drain();
            Runnable command;
            while ((command = commands.poll()) != null) {
                runSafely(command);
                worked = true;
            }
            childWakeup.drain();
            worked |= drainWaits();
            if (!worked) {
                poller.awaitReadable();
            }
        }
    }

    private boolean drainWaits() {
        boolean any = false;
        int[] status = new int[1];
        while (true) {
            int tid;
            try {
                tid = LibC.waitpid(-1, status, WALL | WNOTHREAD | WNOHANG);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                return any; // ECHILD: nothing traced right now
            }
            if (tid <= 0) {
                return any;
            }
            any = true;
            WaitStatus ws = new WaitStatus(tid, status[0]);
            runSafely(() -> dispatch(ws));
        }
    }

    private void dispatch(WaitStatus ws) {
        TracedThread t = threads.get(ws.tid());
        if (t != null) {
            t.process.handle(t, ws);
            return;
        }
        Launch launch = launches.get(ws.tid());
        if (launch != null) {
            if (launch.handle(ws)) {
                launches.remove(ws.tid());
            }
            return;
        }
        // A new thread's first stop can arrive before its parent's PTRACE_EVENT_CLONE.
        if (ws.stopped()) {
            TracedProcess owner = ProcFs.threadGroupOf(ws.tid()).map(processes::get).orElse(null);
            if (owner != null) {
                TracedThread created = owner.adoptThread(ws.tid());
                owner.handle(created, ws);
                return;
            }
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
        commandWakeup.signal();
    }
}
