package dev.quiesce.trace;

/**
 * Where one request's time goes (issue 14), on stderr, when the JVM runs with
 * {@code -Dquiesce.trace.requests=true}: microseconds since the last {@link #begin}, the thread,
 * and what just happened. For one request at a time (a benchmark's); marks of overlapping
 * requests share one clock. Off, a mark is one static boolean test.
 */
public final class RequestTrace {
    private static final boolean ON = Boolean.getBoolean("quiesce.trace.requests");
    private static volatile long start = System.nanoTime();
    private static final long JVM_START_MILLIS = ON ? ProcessHandle.current().info().startInstant()
            .map(java.time.Instant::toEpochMilli).orElse(System.currentTimeMillis()) : 0;

    private RequestTrace() {}

    public static boolean on() {
        return ON;
    }

    public static void begin(String what) {
        if (ON) {
            start = System.nanoTime();
            System.err.printf("quiesce request: %8d us  (%d ms) [%s] begin %s%n", 0, System.currentTimeMillis() - JVM_START_MILLIS, Thread.currentThread().getName(), what);
        }
    }

    /** Bytes allocated by every thread so far (HotSpot's count), or -1. */
    private static long allocated() {
        java.lang.management.ThreadMXBean t = java.lang.management.ManagementFactory.getThreadMXBean();
        return t instanceof com.sun.management.ThreadMXBean s ? s.getTotalThreadAllocatedBytes() : -1;
    }

    public static void mark(String what) {
        if (ON) {
            System.err.printf("quiesce request: %8d us  (%d ms, %d kB allocated) [%s] %s%n", (System.nanoTime() - start) / 1000,
                    System.currentTimeMillis() - JVM_START_MILLIS, allocated() / 1024,
                    Thread.currentThread().getName(), what);
        }
    }
}
