package dev.quiesce.dap;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A session's request deadlines (issue 13, "never hang"): a request that has not answered within
 * {@link #DEFAULT_DEADLINE_MILLIS} answers {@code success: false} with what took too long, and its
 * work is told to stop ({@link RequestDeadline#stop}); the session goes on serving the others.
 * Work that may run long (values: formatting drives loops over the target's memory) runs on this
 * session's own pool, never on LSP4J's reader thread (which would stop every later request being
 * read) nor on the tracer thread (which would stop every thread's pause and continue).
 *
 * <p>Threads: one timer thread ("quiesce-deadlines-N") fires the timeouts; the pool's threads
 * ("quiesce-request-N") run the work. {@link #live} is touched by any of them.
 */
final class RequestDeadlines implements AutoCloseable {
    /** A request answers within this, unless {@link #DEADLINE_PROPERTY} says otherwise. */
    static final long DEFAULT_DEADLINE_MILLIS = 5_000;
    /** System property (milliseconds) that overrides the default; read at each request, so tests can change it. */
    static final String DEADLINE_PROPERTY = "quiesce.requestDeadlineMillis";
    /**
     * Requests with bounds of their own, or that wait for the user by design: launch waits up to
     * 30 s for the first modules, attach with {@code waitFor} waits for the process to start,
     * restart and disconnect wait up to 10 s for a kill or detach. The breakpoint requests change
     * the program: a timeout error while the breakpoint still goes in would be a lie.
     */
    private static final Set<String> OWN_BOUNDS = Set.of("initialize", "launch", "attach", "restart", "disconnect",
            "configurationDone", "setBreakpoints", "setFunctionBreakpoints", "setInstructionBreakpoints",
            "setExceptionBreakpoints", "setDataBreakpoints", "cancel");

    private final ScheduledExecutorService timer;
    private final ExecutorService pool;
    private final Set<RequestDeadline> live = ConcurrentHashMap.newKeySet();

    RequestDeadlines(String session) {
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "quiesce-deadlines-" + session));
        this.pool = Executors.newCachedThreadPool(r -> daemon(r, "quiesce-request-" + session));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The deadline of a request now being dispatched ({@code command} null: not a client's request, unbounded). */
    RequestDeadline start(String command, Integer seq) {
        long limit = command == null || OWN_BOUNDS.contains(command) ? 0 : limitMillis();
        return new RequestDeadline(command, seq, limit);
    }

    static long limitMillis() {
        String value = System.getProperty(DEADLINE_PROPERTY);
        if (value != null) {
            try {
                long parsed = Long.parseLong(value.strip());
                if (parsed > 0) {
                    return parsed;
                }
            } catch (NumberFormatException ignored) {
                // the default below
            }
        }
        return DEFAULT_DEADLINE_MILLIS;
    }

    /** Where the request's long work runs: this session's pool, with the deadline current. */
    Executor work(RequestDeadline deadline) {
        return deadline.on(pool);
    }

    /**
     * Fails {@code answer} (on {@code events}, in order with the other messages) with the deadline's
     * timeout message if it has not completed in time; stops the work once the answer is out,
     * whichever way it went (a work that already finished ignores that).
     */
    void enforce(RequestDeadline deadline, CompletableFuture<?> answer, Executor events) {
        live.add(deadline);
        ScheduledFuture<?> timeout = !deadline.bounded() ? null : timer.schedule(() -> {
            deadline.stop();
            events.execute(() -> answer.completeExceptionally(RequestErrors.error(deadline.timeoutMessage())));
        }, deadline.limitMillis(), TimeUnit.MILLISECONDS);
        answer.whenComplete((value, failure) -> {
            live.remove(deadline);
            deadline.stop();
            if (timeout != null) {
                timeout.cancel(false);
            }
        });
    }

    /** Whether a failure is the work of a request giving up at its deadline (see {@link RequestDeadline#check}). */
    static boolean abandoned(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RequestDeadline.Abandoned;
    }

    /** "5 s", "1.5 s", "200 ms". */
    static String describe(long millis) {
        if (millis < 1000) {
            return millis + " ms";
        }
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    /** The client is gone: every request's work is told to stop, the threads end. Does not wait. */
    @Override
    public void close() {
        for (RequestDeadline d : live) {
            d.stop();
        }
        timer.shutdownNow();
        pool.shutdown(); // idle threads end now; a stopped work ends at its next check
    }
}
