package dev.quiesce.engine;

import dev.quiesce.linux.Signal;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What to do when a signal is about to reach the program (gdb's {@code handle}): stop and tell
 * the client, print a line, and whether the program gets the signal. Defaults are gdb's:
 * SIGALRM, SIGCHLD, SIGWINCH, SIGURG, SIGIO, SIGVTALRM, SIGPROF and glibc's internal real-time
 * signals (32, 33) are neither stopped at nor printed, and passed; SIGINT and SIGTRAP stop and are
 * not passed; every other signal stops, is printed and is passed. Thread-safe.
 */
public final class SignalPolicy {

    /** One signal's policy. */
    public record Handling(boolean stop, boolean print, boolean pass) {
    }

    private static final Handling QUIET = new Handling(false, false, true);
    private static final Handling CATCH = new Handling(true, true, false);
    private static final Handling REPORT = new Handling(true, true, true);

    private final Map<Integer, Handling> overrides = new ConcurrentHashMap<>();
    /** The client's "signal" exception filter: off means no signal stops the program. */
    private volatile boolean stopsEnabled = true;
    /** The filter's condition: when set, exactly these signals stop (whatever {@code stop} says). */
    private volatile Set<Integer> stopOnly;

    /** Whether a signal stops the thread, the policy and the client's filter taken together. */
    public boolean stops(int signal) {
        if (!stopsEnabled) {
            return false;
        }
        Set<Integer> only = stopOnly;
        return only != null ? only.contains(signal) : of(signal).stop();
    }

    /** The "signal" exception filter: enabled or not, and optionally the only signals that stop. */
    public void setStopFilter(boolean enabled, Set<Integer> onlyThese) {
        stopsEnabled = enabled;
        stopOnly = onlyThese == null || onlyThese.isEmpty() ? null : Set.copyOf(onlyThese);
    }

    public Handling of(int signal) {
        Handling h = overrides.get(signal);
        return h != null ? h : defaultFor(signal);
    }

    public void set(int signal, Handling handling) {
        overrides.put(signal, handling);
    }

    public static Handling defaultFor(int signal) {
        if (signal == Signal.SIGINT.number() || signal == Signal.SIGTRAP.number()) {
            return CATCH;
        }
        if (signal == Signal.SIGALRM.number() || signal == Signal.SIGCHLD.number()
                || signal == Signal.SIGWINCH.number() || signal == Signal.SIGURG.number()
                || signal == Signal.SIGIO.number() || signal == Signal.SIGVTALRM.number()
                || signal == Signal.SIGPROF.number() || signal == Signal.RT_MIN || signal == Signal.RT_MIN + 1) {
            return QUIET;
        }
        return REPORT;
    }

    /** A signal by name: "SIGSEGV", "SEGV", "SIG34", or a number. */
    public static Optional<Integer> parse(String name) {
        String n = name.strip().toUpperCase();
        if (n.matches("\\d+")) {
            int number = Integer.parseInt(n);
            return number >= 1 && number <= Signal.RT_MAX ? Optional.of(number) : Optional.empty();
        }
        if (!n.startsWith("SIG")) {
            n = "SIG" + n;
        }
        for (Signal s : Signal.values()) {
            if (s.name().equals(n)) {
                return Optional.of(s.number());
            }
        }
        if (n.matches("SIG\\d+")) {
            return parse(n.substring(3));
        }
        if (n.matches("SIGRTMIN(\\+\\d+)?")) {
            int offset = n.length() > 8 ? Integer.parseInt(n.substring(9)) : 0;
            return Optional.of(Signal.RT_MIN + offset).filter(v -> v <= Signal.RT_MAX);
        }
        return Optional.empty();
    }
}
