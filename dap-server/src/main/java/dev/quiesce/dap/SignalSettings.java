package dev.quiesce.dap;

import dev.quiesce.engine.SignalPolicy;
import dev.quiesce.engine.SignalPolicy.Handling;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the client said about signals before (or after) there is a process to apply it to:
 * the launch/attach {@code signals} argument, the {@code signal} exception filter and its
 * condition, and {@code signalPolicy} requests. Applied to a process's {@link SignalPolicy}.
 */
final class SignalSettings {
    private final Map<Integer, Handling> handling = new LinkedHashMap<>();
    private boolean filterEnabled = true;
    private Set<Integer> filterOnly = Set.of();

    /** The {@code signals} launch/attach argument: {"SIGUSR1": {"stop": false, "print": true, "pass": true}}. */
    void parseArgument(Object value) {
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("\"signals\" must be an object of signal names to {stop, print, pass}");
        }
        for (Map.Entry<?, ?> e : map.entrySet()) {
            int signal = signal(String.valueOf(e.getKey()));
            if (!(e.getValue() instanceof Map<?, ?> fields)) {
                throw new IllegalArgumentException("signals: the policy of " + e.getKey() + " must be an object like {\"stop\": true, \"pass\": false}");
            }
            Handling current = handling.getOrDefault(signal, SignalPolicy.defaultFor(signal));
            handling.put(signal, new Handling(flag(fields, "stop", current.stop(), e.getKey()),
                    flag(fields, "print", current.print(), e.getKey()), flag(fields, "pass", current.pass(), e.getKey())));
        }
    }

    /** The "signal" exception filter; {@code condition} lists the only signal names that stop. */
    void setFilter(boolean enabled, String condition) {
        Set<Integer> only = new LinkedHashSet<>();
        if (condition != null) {
            for (String name : condition.trim().split("[\\s,]+")) {
                if (!name.isEmpty()) {
                    only.add(signal(name));
                }
            }
        }
        filterEnabled = enabled;
        filterOnly = only;
    }

    void applyTo(SignalPolicy policy) {
        handling.forEach(policy::set);
        policy.setStopFilter(filterEnabled, filterOnly);
    }

    static int signal(String name) {
        return SignalPolicy.parse(name).orElseThrow(
                () -> new IllegalArgumentException("unknown signal \"" + name + "\" (use names like SIGUSR1 or numbers 1-64)"));
    }

    private static boolean flag(Map<?, ?> fields, String name, boolean fallback, Object signal) {
        Object v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Boolean b)) {
            throw new IllegalArgumentException("signals: " + signal + "." + name + " must be true or false");
        }
        return b;
    }
}
