package dev.quiesce.trace;

/**
 * Timestamps of a session's start (issue 19), on stderr, when the JVM runs with
 * {@code -Dquiesce.trace.startup=true}: milliseconds since the JVM started, and what just
 * happened. Off, a mark is one static boolean test. For finding where startup time goes; a
 * benchmark measures it from outside (bench/run --startup).
 */
public final class StartupTrace {
    private static final boolean ON = Boolean.getBoolean("quiesce.trace.startup");
    private static final long JVM_START_MILLIS = ON ? jvmStart() : 0;

    private StartupTrace() {}

    public static boolean on() {
        return ON;
    }

    public static void mark(String what) {
        if (ON) {
            System.err.printf("quiesce startup: %6d ms  [%s] %s%n",
                    System.currentTimeMillis() - JVM_START_MILLIS, Thread.currentThread().getName(), what);
        }
    }

    private static long jvmStart() {
        return ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli)
                .orElse(System.currentTimeMillis());
    }
}
