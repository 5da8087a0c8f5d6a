package dev.quiesce.dap;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.values.LocalTypes;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * Speculative work at a stop (issue 14): once a stopped thread's stack is listed, every client
 * asks next for the top frame's scopes and its Locals. On a thread of its own this reads, ahead
 * of those requests, what they read first from the debug information alone ({@link LocalTypes}:
 * the frame's scopes and its variables' types). Nothing of the program's memory or registers is
 * read and no answer is kept; a request that comes first reads the same caches itself (a type
 * is read once, under its reader's lock). Bounded: the latest listed frame only (an older one
 * not yet started is dropped), at most {@link LocalTypes#MAX_VARIABLES} variables. At normal
 * priority: a request may wait on the type reader's lock this thread holds (bench/run --values,
 * Locals: ~5 ms of type reading left the request, 19-27 -> 11-13 ms).
 */
final class LocalsPrefetch {
    private final AtomicReference<StackFrame> next = new AtomicReference<>();
    private final Thread worker;

    LocalsPrefetch() {
        worker = new Thread(this::run, "quiesce-locals-prefetch");
        worker.setDaemon(true);
        worker.start();
    }

    /** A stack was listed: its top frame's locals are the likely next request. Returns at once. */
    void topFrameListed(StackFrame top) {
        if (next.getAndSet(top) == null) {
            LockSupport.unpark(worker);
        }
    }

    private void run() {
        while (true) {
            StackFrame f = next.getAndSet(null);
            if (f == null) {
                LockSupport.park(this);
                continue;
            }
            try {
                dev.quiesce.trace.RequestTrace.mark("locals prefetch starts");
                LocalTypes.Read r = LocalTypes.read(f);
                dev.quiesce.trace.RequestTrace.mark("locals prefetch read " + r.variables() + " types");
            } catch (RuntimeException e) {
                // speculation only: the requests read (and report) it themselves
            }
        }
    }
}
