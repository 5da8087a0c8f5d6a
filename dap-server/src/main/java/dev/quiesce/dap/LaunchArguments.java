package dev.quiesce.dap;

import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.StopMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code launch} request's arguments (PRODUCT.md, "Launch request"), checked, with errors
 * that name the argument and the problem. Unknown arguments are ignored: clients send their own.
 */
record LaunchArguments(LaunchSpec spec, boolean stopOnEntry, Set<Long> catchSyscalls, TerminalConsole terminal, boolean followForks) {

    static LaunchArguments parse(Map<String, Object> raw, Map<String, String> inheritedEnvironment) {
        if (raw == null) {
            throw new IllegalArgumentException("launch needs arguments: at least \"program\"");
        }
        String program = string(raw, "program");
        if (program == null || program.isBlank()) {
            throw new IllegalArgumentException("launch argument \"program\" is required: the path of the executable to debug");
        }
        String cwdText = string(raw, "cwd");
        Path cwd = cwdText == null || cwdText.isBlank() ? null : Path.of(cwdText).toAbsolutePath().normalize();
        Path programPath = (cwd != null ? cwd.resolve(program) : Path.of(program)).toAbsolutePath().normalize();
        checkProgram(programPath);
        if (cwd == null) {
            cwd = programPath.getParent();
        } else if (!Files.isDirectory(cwd)) {
            throw new IllegalArgumentException("cwd is not a directory: " + cwd);
        }

        List<String> args = strings(raw, "args");
        Map<String, String> environment = environment(raw, inheritedEnvironment);
        boolean nonStop = bool(raw, "nonStop", true);
        boolean disableAslr = bool(raw, "disableASLR", true);
        boolean stopOnEntry = bool(raw, "stopOnEntry", false);

        boolean followForks = bool(raw, "followForks", false); // fork children as child sessions (ChildSessions)
        TerminalConsole terminal = TerminalConsole.parse(string(raw, "console"), raw.get("env"));
        Path stdin = stdinFile(string(raw, "stdin"), cwd);
        if (terminal != null && stdin != null) {
            throw new IllegalArgumentException("launch argument \"stdin\" is for \"console\": \"internalConsole\"; "
                    + "in a terminal the program reads what is typed there");
        }
        Set<Long> catchSyscalls = SyscallNames.numbers(strings(raw, "catchSyscalls"), "catchSyscalls");
        // Known before exec: caught through a seccomp filter, so other syscalls do not stop at all.
        LaunchSpec spec = new LaunchSpec(programPath, args, cwd, environment, disableAslr,
                nonStop ? StopMode.NON_STOP : StopMode.ALL_STOP, catchSyscalls, stdin);
        return new LaunchArguments(spec, stopOnEntry, catchSyscalls, terminal, followForks);
    }

    /** The {@code stdin} argument: a file the program reads (relative to cwd), or null for none. */
    private static Path stdinFile(String text, Path cwd) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Path file = cwd.resolve(text).toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("stdin file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException("stdin is a directory, not a file: " + file);
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("stdin file is not readable: " + file);
        }
        return file;
    }

    private static void checkProgram(Path program) {
        if (!Files.exists(program)) {
            throw new IllegalArgumentException("program not found: " + program);
        }
        if (Files.isDirectory(program)) {
            throw new IllegalArgumentException("program is a directory, not an executable: " + program);
        }
        if (!Files.isExecutable(program)) {
            throw new IllegalArgumentException("program is not executable: " + program + " (try chmod +x)");
        }
    }

    private static String string(Map<String, Object> raw, String name) {
        Object value = raw.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("launch argument \"" + name + "\" must be a string, not " + describe(value));
        }
        return s;
    }

    private static boolean bool(Map<String, Object> raw, String name, boolean fallback) {
        Object value = raw.get(name);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("launch argument \"" + name + "\" must be true or false, not " + describe(value));
        }
        return b;
    }

    private static List<String> strings(Map<String, Object> raw, String name) {
        Object value = raw.get(name);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException("launch argument \"" + name + "\" must be an array of strings, not " + describe(value));
        }
        List<String> result = new ArrayList<>();
        for (Object item : list) {
            if (!(item instanceof String s)) {
                throw new IllegalArgumentException("launch argument \"" + name + "\" must contain only strings; found " + describe(item));
            }
            result.add(s);
        }
        return result;
    }

    /** The server's environment, with "env" applied: a string sets a variable, null removes it. */
    private static Map<String, String> environment(Map<String, Object> raw, Map<String, String> inherited) {
        Map<String, String> env = new HashMap<>(inherited);
        Object value = raw.get("env");
        if (value == null) {
            return env;
        }
        if (!(value instanceof Map<?, ?> changes)) {
            throw new IllegalArgumentException("launch argument \"env\" must be an object of variable names to strings, not " + describe(value));
        }
        for (Map.Entry<?, ?> change : changes.entrySet()) {
            String key = String.valueOf(change.getKey());
            if (key.isEmpty() || key.contains("=")) {
                throw new IllegalArgumentException("env: invalid variable name \"" + key + "\"");
            }
            Object v = change.getValue();
            if (v == null) {
                env.remove(key);
            } else if (v instanceof String s) {
                env.put(key, s);
            } else if (v instanceof Number || v instanceof Boolean) {
                env.put(key, formatScalar(v));
            } else {
                throw new IllegalArgumentException("env: the value of " + key + " must be a string or null, not " + describe(v));
            }
        }
        return env;
    }

    private static String formatScalar(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        return v.toString();
    }

    private static String describe(Object value) {
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number (" + formatScalar(value) + ")";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value == null ? "null" : "a value of another kind";
    }
}
