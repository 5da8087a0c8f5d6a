package dev.quiesce.debugger;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Waiting, from a thread other than the tracer's, for the tracer to plant or lift a breakpoint. */
public final class TracerWaits {
    private TracerWaits() {
    }

    /** Waits up to {@code seconds}; a failure or a timeout is logged ("cannot " + what), not thrown. */
    public static void awaitOrLog(CompletableFuture<Void> f, long seconds, Logger log, String what) {
        try {
            f.get(seconds, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.log(Level.WARNING, "cannot " + what, e);
        }
    }
}
