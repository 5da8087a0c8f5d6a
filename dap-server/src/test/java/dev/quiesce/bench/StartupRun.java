package dev.quiesce.bench;

/**
 * One measured start, in milliseconds from spawning the debugger: the adapter answered
 * {@code initialize} ({@code ready}), answered {@code launch} ({@code launched}), answered the
 * line breakpoint ({@code placed}: the symbols it needed were read), and reported the first
 * {@code stopped} event ({@code stopped}); the debugger's resident memory at that stop (its whole
 * process tree without the debuggee) in KiB. A phase a row cannot see is negative.
 */
record StartupRun(double ready, double launched, double placed, double stopped, long rssKib) {
    static double millis(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1e6;
    }
}
