package dev.quiesce.dap;

import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import dev.quiesce.engine.TracerException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;

/**
 * attach with {@code waitFor: true}: the attach request is answered once the first process of
 * {@code program} that starts after it has been caught in its execve (before its first instruction).
 */
final class WaitForAttach {
    private WaitForAttach() {
    }

    static CompletableFuture<TracedProcess> start(Tracer tracer, AttachArguments parsed, ProcessListener listener,
            BooleanSupplier abandoned, java.util.function.Consumer<String> console) {
        try {
            CompletableFuture<TracedProcess> caught = tracer.waitForExec(parsed.waitFor(), parsed.stopMode(), listener, abandoned);
            // From here on every exec of the program is caught: a client may start it now.
            console.accept("Quiesce: waiting for " + parsed.waitFor() + " to start...\n");
            return caught;
        } catch (TracerException e) {
            return RequestErrors.failed("attach with \"waitFor\" cannot wait for " + parsed.waitFor() + ": " + e.getMessage()
                    + "; it needs fanotify exec permission events (Linux 5.0+, CAP_SYS_ADMIN, e.g. running Quiesce as root)."
                    + " Without them, start the program and attach by \"processId\" or \"program\"");
        }
    }
}
