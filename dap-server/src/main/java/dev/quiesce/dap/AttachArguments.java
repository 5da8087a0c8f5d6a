package dev.quiesce.dap;

import dev.quiesce.engine.StopMode;
import dev.quiesce.linux.ProgramProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code attach} request's arguments (PRODUCT.md, "Attach request"), checked: {@code processId}
 * (or {@code pid}, lldb-dap's and CodeLLDB's name), else {@code program} names the process, or with
 * {@code waitFor} the first one to start.
 *
 * @param processId   the process, or 0 with {@code waitFor}
 * @param waitFor     the executable to wait for (absolute), or null
 * @param followForks the process's fork children become child sessions too
 * @param fork        this attach takes a fork child another session offered (startDebugging), or null
 */
record AttachArguments(int processId, Path waitFor, StopMode stopMode, boolean followForks, ChildSessions.Handover fork) {

    static AttachArguments parse(Map<String, Object> raw) {
        if (raw == null) {
            throw new IllegalArgumentException("attach needs arguments: \"processId\", or \"program\" to attach by name");
        }
        Object nonStop = raw.get("nonStop");
        if (nonStop != null && !(nonStop instanceof Boolean)) {
            throw new IllegalArgumentException("attach argument \"nonStop\" must be true or false");
        }
        StopMode mode = Boolean.FALSE.equals(nonStop) ? StopMode.ALL_STOP : StopMode.NON_STOP;
        Object waitFor = raw.get("waitFor");
        if (waitFor != null && !(waitFor instanceof Boolean)) {
            throw new IllegalArgumentException("attach argument \"waitFor\" must be true or false");
        }
        Object follow = raw.get("followForks");
        if (follow != null && !(follow instanceof Boolean)) {
            throw new IllegalArgumentException("attach argument \"followForks\" must be true or false");
        }
        boolean followForks = Boolean.TRUE.equals(follow);
        ChildSessions.Handover fork = ChildSessions.Handover.parse(raw.get(ChildSessions.HANDOVER_KEY));
        String idName = raw.get("processId") != null ? "processId" : raw.get("pid") != null ? "pid" : null;
        Object program = raw.get("program");
        if (program != null && !(program instanceof String)) {
            throw new IllegalArgumentException("attach argument \"program\" must be a string: the executable's path or file name");
        }
        String programText = program == null || ((String) program).isBlank() ? null : (String) program;
        if (Boolean.TRUE.equals(waitFor)) {
            if (idName != null) {
                throw new IllegalArgumentException("attach: \"waitFor\" waits for a new process of \"program\"; "
                        + "leave \"" + idName + "\" out (that process is already running)");
            }
            return new AttachArguments(0, waitedProgram(programText), mode, followForks, null);
        }
        if (fork != null && idName == null) {
            throw new IllegalArgumentException("attach argument \"" + ChildSessions.HANDOVER_KEY + "\" needs \"processId\": the fork child's pid");
        }
        if (idName != null) {
            return new AttachArguments(processId(raw.get(idName), idName), null, mode, followForks, fork);
        }
        if (programText == null) {
            throw new IllegalArgumentException("attach argument \"processId\" is required (or \"program\" to attach "
                    + "to the one running process of that executable, with \"waitFor\": true to wait for it to start)");
        }
        return new AttachArguments(byProgram(programText), null, mode, followForks, null);
    }

    private static Path waitedProgram(String program) {
        if (program == null) {
            throw new IllegalArgumentException("attach with \"waitFor\" needs \"program\": the path of the executable to wait for");
        }
        Path path = Path.of(program).toAbsolutePath().normalize();
        if (!program.contains("/") || !Files.isRegularFile(path)) {
            throw new IllegalArgumentException("attach with \"waitFor\": program not found: " + path
                    + " (give the executable's full path)");
        }
        return path;
    }

    private static int byProgram(String program) {
        List<ProgramProcesses.Match> found = ProgramProcesses.of(program);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("no running process of " + program
                    + " (use \"waitFor\": true to wait for one to start)");
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " processes of " + program + " are running; say which with "
                    + "\"processId\": " + found.stream().map(m -> m.pid() + " (" + m.commandLine() + ")")
                    .collect(Collectors.joining(", ")));
        }
        return found.get(0).pid();
    }

    /** A number, or a numeric string (what ${command:pickProcess} gives). */
    private static int processId(Object value, String name) {
        long pid;
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException("attach argument \"" + name + "\" must be a whole number, not " + d);
            }
            pid = (long) d;
        } else if (value instanceof String s && s.strip().matches("\\d+")) {
            pid = Long.parseLong(s.strip());
        } else {
            throw new IllegalArgumentException("attach argument \"" + name + "\" must be a process id (a number), not \"" + value + "\"");
        }
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("attach argument \"" + name + "\" is out of range: " + pid);
        }
        return (int) pid;
    }
}
