package dev.quiesce.dap;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The launch/attach argument {@code sourceMap}: folder prefixes rewritten both ways, from the
 * paths the program was built with (its debug information) to the paths on this machine, and
 * back for what the client sends (breakpoints, breakpointLocations). Either form:
 * {@code {"/build/dir": "/local/dir"}} or {@code [["/build/dir", "/local/dir"], ...]}. A prefix
 * matches whole path components; the longest match wins. Thread-safe; set once per session.
 */
final class SourceMap {
    private record Rule(String build, String local) {
    }

    private volatile List<Rule> rules = List.of();

    /** Parses the argument (null: no mapping); throws with a message naming what is wrong. */
    void set(Object argument) {
        List<Rule> parsed = new ArrayList<>();
        if (argument == null) {
            rules = List.of();
            return;
        }
        if (argument instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getValue() instanceof String to)) {
                    throw new IllegalArgumentException("sourceMap: the value for \"" + e.getKey() + "\" must be a folder path (a string)");
                }
                parsed.add(rule(String.valueOf(e.getKey()), to));
            }
        } else if (argument instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof String from)
                        || !(pair.get(1) instanceof String to)) {
                    throw new IllegalArgumentException("sourceMap: each entry of the list must be a pair [\"/build/dir\", \"/local/dir\"]");
                }
                parsed.add(rule(from, to));
            }
        } else {
            throw new IllegalArgumentException("sourceMap must be an object {\"/build/dir\": \"/local/dir\"} "
                    + "or a list of [\"/build/dir\", \"/local/dir\"] pairs");
        }
        rules = List.copyOf(parsed);
    }

    private static Rule rule(String from, String to) {
        if (from.isBlank() || to.isBlank()) {
            throw new IllegalArgumentException("sourceMap: an empty folder (\"" + from + "\" -> \"" + to + "\")");
        }
        return new Rule(trim(from), trim(to));
    }

    private static String trim(String folder) {
        return folder.length() > 1 && folder.endsWith("/") ? folder.substring(0, folder.length() - 1) : folder;
    }

    /** A path from the debug information, as it is on this machine. */
    String toLocal(String buildPath) {
        return rewrite(buildPath, true);
    }

    /** A path the client sent, as the debug information has it. */
    String toBuild(String localPath) {
        return rewrite(localPath, false);
    }

    private String rewrite(String path, boolean toLocal) {
        List<Rule> current = rules;
        if (path == null || current.isEmpty()) {
            return path;
        }
        return current.stream()
                .filter(r -> under(path, toLocal ? r.build() : r.local()))
                .max(Comparator.comparingInt(r -> (toLocal ? r.build() : r.local()).length()))
                .map(r -> (toLocal ? r.local() : r.build()) + path.substring((toLocal ? r.build() : r.local()).length()))
                .orElse(path);
    }

    private static boolean under(String path, String folder) {
        return path.equals(folder) || path.startsWith(folder.endsWith("/") ? folder : folder + "/");
    }
}
