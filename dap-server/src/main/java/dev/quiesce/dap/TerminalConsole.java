package dev.quiesce.dap;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.lsp4j.debug.RunInTerminalRequestArgumentsKind;

/**
 * The launch argument {@code console} when it names a terminal: the program runs in a terminal
 * the client opens (DAP {@code runInTerminal}), with the launch's {@code env} changes applied to
 * that terminal's environment (a null value removes a variable, as runInTerminal defines).
 */
record TerminalConsole(RunInTerminalRequestArgumentsKind kind, Map<String, String> envChanges) {

    /** Null for {@code internalConsole} (the default); {@code env} was checked by the launch arguments. */
    static TerminalConsole parse(String console, Object env) {
        if (console == null || console.equals("internalConsole")) {
            return null;
        }
        RunInTerminalRequestArgumentsKind kind = switch (console) {
            case "integratedTerminal" -> RunInTerminalRequestArgumentsKind.INTEGRATED;
            case "externalTerminal" -> RunInTerminalRequestArgumentsKind.EXTERNAL;
            default -> throw new IllegalArgumentException("launch argument \"console\" must be \"internalConsole\", "
                    + "\"integratedTerminal\" or \"externalTerminal\", not \"" + console + "\"");
        };
        Map<String, String> changes = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = e.getValue();
                changes.put(String.valueOf(e.getKey()), v == null ? null : v instanceof String s ? s : scalar(v));
            }
        }
        return new TerminalConsole(kind, changes);
    }

    private static String scalar(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    String describe() {
        return kind == RunInTerminalRequestArgumentsKind.INTEGRATED ? "integratedTerminal" : "externalTerminal";
    }
}
