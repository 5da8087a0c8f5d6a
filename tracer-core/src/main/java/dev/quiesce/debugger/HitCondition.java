package dev.quiesce.debugger;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A breakpoint's hit condition as VS Code users write it: {@code 5} or {@code ==5} (the 5th hit),
 * {@code >5}, {@code >=5}, {@code <5}, {@code <=5}, {@code %5} (every 5th). The count is of hits
 * whose condition held.
 */
public final class HitCondition {
    private static final Pattern FORM = Pattern.compile("\\s*(==|=|>=|<=|>|<|%)?\\s*(\\d+)\\s*");
    private final String operator;
    private final long value;

    private HitCondition(String operator, long value) {
        this.operator = operator;
        this.value = value;
    }

    /** Parses; throws IllegalArgumentException with a message a person can act on. */
    public static HitCondition parse(String text) {
        Matcher m = FORM.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("hit condition \"" + text
                    + "\" is not understood: write N (the Nth hit), >N, >=N, <N, <=N or %N (every Nth hit)");
        }
        String op = m.group(1) == null || m.group(1).equals("=") ? "==" : m.group(1);
        long n = Long.parseLong(m.group(2));
        if (op.equals("%") && n == 0) {
            throw new IllegalArgumentException("hit condition \"" + text + "\": %0 would never stop; use %1 for every hit");
        }
        return new HitCondition(op, n);
    }

    public boolean test(long hits) {
        switch (operator) {
            case ">": return hits > value;
            case ">=": return hits >= value;
            case "<": return hits < value;
            case "<=": return hits <= value;
            case "%": return hits % value == 0;
            default: return hits == value;
        }
    }
}
