package dev.quiesce.debugger.watch;

import dev.quiesce.debugger.HitCondition;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;

/**
 * One data breakpoint (watchpoint) of a session: what it watches, what it has seen.
 * {@link #last} is the watched bytes as of its last check; touched on the tracer thread once set.
 */
public final class DataBreakpoint {
    public enum Access { WRITE, READ, READ_WRITE }

    /**
     * What the client asked for.
     *
     * @param name     what it watches, as the user named it ("g", "counter.n")
     * @param format   the watched bytes as the user reads them (the value's type)
     * @param frameCfa for a local: the canonical frame address of its frame, 0 for static storage
     * @param returnAddress for a local: where its frame returns to (the watch ends there)
     * @param tid      for a local: the thread whose frame it is
     */
    public record Spec(String name, long address, int length, Access access, Optional<String> condition,
            Optional<String> hitCondition, Function<byte[], String> format, long frameCfa, long returnAddress, int tid) {
        public boolean local() {
            return frameCfa != 0;
        }
    }

    private final int id;
    private final Spec spec;
    private final HitCondition hitCondition;
    byte[] last;
    long hits;
    volatile boolean ended;

    DataBreakpoint(int id, Spec spec, byte[] initial) {
        this.id = id;
        this.spec = spec;
        this.hitCondition = spec.hitCondition().map(HitCondition::parse).orElse(null);
        this.last = initial;
    }

    public int id() {
        return id;
    }

    public Spec spec() {
        return spec;
    }

    /** Counts a hit whose condition held; whether the hit condition lets it stop. */
    boolean countHit() {
        hits++;
        return hitCondition == null || hitCondition.test(hits);
    }

    boolean changed(byte[] now) {
        return !Arrays.equals(last, now);
    }

    String describeChange(byte[] now) {
        return spec.name() + ": Old value = " + spec.format().apply(last) + ", New value = " + spec.format().apply(now);
    }

    String describeValue(byte[] now) {
        return spec.name() + ": Value = " + spec.format().apply(now);
    }
}
