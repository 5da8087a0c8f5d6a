package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.stl.StlFormatters;
import dev.quiesce.values.stl.StlView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the corrupt-value tests (STL, Rust) read of a value, and the checks they all make of it. */
final class CorruptValues {
    private CorruptValues() {}

    /** The object's text, then its first and last page of children as the Variables view asks for them. */
    static List<String> shown(ProgramStop s, String name) {
        Values values = new Values(s.frame());
        ValueFormatter f = new ValueFormatter(values, false);
        List<String> out = new ArrayList<>();
        Value v = Expression.parse(name).evaluateReadOnly(s.frame());
        out.add(f.formatTop(v));
        try {
            StlView view = StlFormatters.viewOrRaw(values, v).orElse(null);
            if (view != null) {
                for (long start : new long[] {0, Math.max(0, view.size() - 1000)}) {
                    for (StlView.Child c : view.children(start, 1000)) {
                        out.add(c.key() == null ? f.format(c.value()) : f.format(c.key()) + " = " + f.format(c.value()));
                    }
                }
            }
        } catch (ValueException e) {
            out.add("<error: " + e.getMessage() + ">");
        }
        return out;
    }

    /** {@link #shown}, asserted to answer within 10 s, bounded, with no Java exception text. */
    static List<String> shownSafely(ProgramStop s, String name) {
        List<String> out = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> shown(s, name), name + " did not answer");
        String all = String.join("\n", out);
        System.out.println("corrupt " + name + ": " + (all.length() > 300 ? all.substring(0, 300) + "..." : all).replace('\n', '|'));
        assertFalse(all.contains("Exception") || all.contains("java."), name + ": " + all);
        assertTrue(all.length() < 1_000_000, name + ": " + all.length() + " characters");
        return out;
    }
}
