package dev.quiesce.debugger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A breakpoint the client asked for: on a source line, a function or an instruction, with its
 * modifiers, and where it resolved to (run-time addresses; none while pending). Mutable state is
 * published by {@link UserBreakpoints} under its lock; hits are counted on the tracer thread.
 */
public final class UserBreakpoint {
    public enum Kind { LINE, FUNCTION, INSTRUCTION }

    /** What the client asked for. {@code address} is for instruction breakpoints. */
    public record Spec(Kind kind, String source, int line, String function, long address,
                       Optional<String> condition, Optional<String> hitCondition, Optional<String> logMessage) {
        public static Spec line(String source, int line) {
            return new Spec(Kind.LINE, source, line, null, 0, Optional.empty(), Optional.empty(), Optional.empty());
        }

        public Spec with(Optional<String> condition, Optional<String> hitCondition, Optional<String> logMessage) {
            return new Spec(kind, source, line, function, address, blankToEmpty(condition), blankToEmpty(hitCondition),
                    blankToEmpty(logMessage));
        }

        private static Optional<String> blankToEmpty(Optional<String> s) {
            return s.filter(v -> !v.isBlank());
        }
    }

    private final int id;
    private final Spec spec;
    private final HitCondition hitCondition;
    private final AtomicLong hits = new AtomicLong();
    volatile List<Long> addresses = List.of();
    volatile boolean verified;
    /** The line it moved to (line breakpoints), or its source line when known. */
    volatile int resolvedLine;
    volatile String resolvedSource;
    volatile String message;

    UserBreakpoint(int id, Spec spec) {
        this.id = id;
        this.spec = spec;
        HitCondition parsed = null;
        String problem = null;
        if (spec.hitCondition().isPresent()) {
            try {
                parsed = HitCondition.parse(spec.hitCondition().get());
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        this.hitCondition = parsed;
        this.message = problem;
    }

    public int id() {
        return id;
    }

    public Spec spec() {
        return spec;
    }

    public boolean verified() {
        return verified;
    }

    public List<Long> addresses() {
        return addresses;
    }

    public int line() {
        return resolvedLine;
    }

    public Optional<String> source() {
        return Optional.ofNullable(resolvedSource);
    }

    /** Why it is not verified (or a note on how it resolved), for the client. */
    public Optional<String> message() {
        return Optional.ofNullable(message);
    }

    private volatile boolean rejected;

    /** A modifier that cannot work (a condition that does not parse): never set, the message says why. */
    void reject(String problem) {
        rejected = true;
        message = problem;
    }

    /** A bad modifier keeps the breakpoint from ever being set. */
    boolean usable() {
        return !rejected && (spec.hitCondition().isEmpty() || hitCondition != null);
    }

    /** Counts a hit whose condition held; whether the hit condition lets it act. */
    boolean countHit() {
        long n = hits.incrementAndGet();
        return hitCondition == null || hitCondition.test(n);
    }

    public long hits() {
        return hits.get();
    }
}
