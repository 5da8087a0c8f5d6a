package dev.quiesce.dap;

import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import dev.quiesce.engine.TracerException;
import dev.quiesce.linux.ProgramProcesses;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * attach with {@code waitFor: true}: the attach request is answered once the first process of
 * {@code program} that starts after it has been caught. With fanotify (root) it is caught in its
 * execve, before its first instruction, and held there ({@link Caught#heldAtExec}); without it,
 * /proc is polled every {@link #POLL_NANOS} and the process attached as soon as it shows up, so
 * it may have run for about that long (its dynamic linker, perhaps the start of main).
 * {@code -Dquiesce.waitFor.poll=true} forces the /proc way (tests, machines where fanotify misbehaves).
 */
final class WaitForAttach {
    static final long POLL_NANOS = 1_000_000;

    /** The process, and whether it is held at its exec (then it starts at configurationDone). */
    record Caught(TracedProcess process, boolean heldAtExec) {
    }

    private WaitForAttach() {
    }

    static CompletableFuture<Caught> start(Tracer tracer, AttachArguments parsed, ProcessListener listener,
            BooleanSupplier abandoned, Consumer<String> console) {
        String noFanotify;
        if (Boolean.getBoolean("quiesce.waitFor.poll")) {
            noFanotify = "quiesce.waitFor.poll is set";
        } else {
            try {
                CompletableFuture<TracedProcess> caught = tracer.waitForExec(parsed.waitFor(), parsed.stopMode(), listener, abandoned);
                // From here on every exec of the program is caught: a client may start it now.
                console.accept("Quiesce: waiting for " + parsed.waitFor() + " to start...\n");
                return caught.thenApply(p -> new Caught(p, true));
            } catch (TracerException e) {
                noFanotify = e.getMessage() + "; catching a process in its exec needs fanotify (Linux 5.0+, CAP_SYS_ADMIN)";
            }
        }
        Set<Integer> before = ProgramProcesses.running();
        console.accept("Quiesce: waiting for " + parsed.waitFor() + " to start (" + noFanotify + ": watching /proc every "
                + POLL_NANOS / 1_000_000 + " ms instead, so it may run briefly, perhaps into main, before it is attached)...\n");
        CompletableFuture<Integer> found = new CompletableFuture<>();
        Thread poller = new Thread(() -> {
            try {
                int pid = ProgramProcesses.firstNew(parsed.waitFor(), before, POLL_NANOS, abandoned);
                if (pid < 0) {
                    found.completeExceptionally(RequestErrors.error("stopped waiting for " + parsed.waitFor().getFileName() + " to start"));
                } else {
                    found.complete(pid);
                }
            } catch (RuntimeException e) {
                found.completeExceptionally(e);
            }
        }, "quiesce-waitfor-poll");
        poller.setDaemon(true);
        poller.start();
        return found.thenCompose(pid -> tracer.attach(pid, parsed.stopMode(), listener)).thenApply(p -> new Caught(p, false));
    }
}
