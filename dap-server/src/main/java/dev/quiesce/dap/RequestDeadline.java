package dev.quiesce.dap;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One request's deadline and stop flag (see {@link RequestDeadlines}). The work that answers the
 * request runs with this deadline <em>current</em> on its thread ({@link #on}); the value layer's
 * memory reads ({@link DeadlineMemory}) call {@link #checkCurrent} and throw {@link Abandoned}
 * once the request has timed out, been cancelled or lost its client, so a loop driven by the
 * target's memory stops burning CPU instead of running on after its answer was sent.
 *
 * <p>Threads: {@link #doing} is written by the thread doing the work, read by the deadline timer
 * when it writes the timeout message; {@link #stop} comes from the timer, the events thread or
 * the connection's thread. Both fields are volatile; nothing else changes after construction.
 */
final class RequestDeadline {
    /** The deadline of the request whose work runs on this thread now, if any. */
    private static final ThreadLocal<RequestDeadline> CURRENT = new ThreadLocal<>();
    /**
     * Test hook: every value-layer memory read made for a request with this command never
     * finishes on its own, it waits (1 ms naps, checking the deadline) until the request is
     * stopped, as a formatter looping over the target's memory would. Read at each read.
     */
    static final String STALL_READS_PROPERTY = "quiesce.test.stallReadsOf";

    private final String command;
    /** The command and seq ("variables#12"): worker threads carry it in their names while they run this request's work. */
    private final String label;
    private final long limitMillis;
    private final long expiresAt;
    private volatile Object activity; // a String, or an Activity spelled only if a message needs it
    private volatile boolean stopped;

    /** {@code limitMillis} 0: no deadline (the request has bounds of its own). */
    RequestDeadline(String command, Integer seq, long limitMillis) {
        this.command = command == null ? "request" : command;
        this.label = this.command + (seq == null ? "" : "#" + seq);
        this.limitMillis = limitMillis;
        this.expiresAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limitMillis);
    }

    boolean bounded() {
        return limitMillis > 0;
    }

    long limitMillis() {
        return limitMillis;
    }

    /** What the work is doing now, for the timeout message: "formatting 'err'". */
    void doing(String what) {
        activity = what;
    }

    /** {@code doing(verb + " '" + subject + "'")}, the text made only if a message needs it (once per element of a page). */
    void doing(String verb, String subject) {
        activity = new Activity(verb, subject);
    }

    private record Activity(String verb, String subject) {
        @Override
        public String toString() {
            return verb + " '" + subject + "'";
        }
    }

    /** The request is over for its client (timed out, cancelled, connection gone): its work should end. */
    void stop() {
        stopped = true;
    }

    /** Throws {@link Abandoned} if the request is stopped or past its deadline. */
    void check() {
        if (stopped || bounded() && System.nanoTime() - expiresAt >= 0) {
            stopped = true;
            throw new Abandoned(label + " was abandoned (" + (activity == null ? "its work" : activity) + " ran past its deadline or was cancelled)");
        }
    }

    /** "variables: formatting 'err' did not finish within 5 s"; "stackTrace did not finish within 5 s" if it never said. */
    String timeoutMessage() {
        Object what = activity;
        return command + (what == null ? "" : ": " + what) + " did not finish within " + RequestDeadlines.describe(limitMillis);
    }

    /** Runs tasks on {@code pool} with this deadline current, the worker thread named after the request. */
    Executor on(Executor pool) {
        return task -> {
            try {
                pool.execute(() -> run(task));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The session is closed: nobody waits for this answer. Not thrown on, since the
                // thread completing the stage before (the tracer's, say) must not see it.
                stop();
            }
        };
    }

    private void run(Runnable task) {
        Thread me = Thread.currentThread();
        String idle = me.getName();
        CURRENT.set(this);
        me.setName(idle + " " + label);
        try {
            task.run();
        } finally {
            me.setName(idle);
            CURRENT.remove();
        }
    }

    /** {@link #doing} for the request whose work runs on this thread; nothing outside one. */
    static void doingNow(String what) {
        RequestDeadline d = CURRENT.get();
        if (d != null) {
            d.doing(what);
        }
    }

    /** {@link #doing(String, String)} for the request whose work runs on this thread; nothing outside one. */
    static void doingNow(String verb, String subject) {
        RequestDeadline d = CURRENT.get();
        if (d != null) {
            d.doing(verb, subject);
        }
    }

    /** {@link #check} for the request whose work runs on this thread; nothing outside one. */
    static void checkCurrent() {
        RequestDeadline d = CURRENT.get();
        if (d == null) {
            return;
        }
        d.check();
        if (d.command.equals(System.getProperty(STALL_READS_PROPERTY))) {
            while (true) {
                d.check();
                LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** The work of a request that is over for its client stops with this; nobody sees its message but the log. */
    static final class Abandoned extends RuntimeException {
        Abandoned(String message) {
            super(message, null, false, false);
        }
    }
}
