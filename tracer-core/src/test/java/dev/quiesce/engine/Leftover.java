package dev.quiesce.engine;

import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Signal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a test can say about a process it no longer traces: the kernel's view of each of its
 * threads, for a failure to explain itself (a process left stopped, still traced by somebody,
 * or dying), and a way to make sure it does not outlive the test.
 */
final class Leftover {
    private static final List<String> FIELDS = List.of("State", "TracerPid", "SigPnd", "ShdPnd", "SigBlk", "SigCgt");

    private Leftover() {
    }

    /** One line per thread: State, TracerPid, pending/blocked/caught signal masks, wchan. */
    static String describe(int pid) {
        StringBuilder out = new StringBuilder("process " + pid + ":");
        List<Integer> tasks = ProcFs.tasks(pid);
        if (tasks.isEmpty()) {
            return out.append(" gone").toString();
        }
        for (int tid : tasks) {
            Path task = Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid));
            out.append("\n  thread ").append(tid).append(':');
            for (String line : read(task.resolve("status")).split("\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && FIELDS.contains(line.substring(0, colon))) {
                    out.append(' ').append(line.substring(0, colon)).append('=').append(line.substring(colon + 1).strip());
                }
            }
            out.append(" wchan=").append(read(task.resolve("wchan")).strip());
        }
        return out.toString();
    }

    /** Whether every thread runs untraced, in a state it reaches untraced (not stopped, traced or dead). */
    static boolean untracedAndRunning(int pid) {
        List<Integer> tasks = ProcFs.tasks(pid);
        for (int tid : tasks) {
            String status = read(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "status"));
            String state = field(status, "State");
            if (!field(status, "TracerPid").equals("0") || state.startsWith("t") || state.startsWith("T")
                    || state.startsWith("Z") || state.startsWith("X")) {
                return false;
            }
        }
        return !tasks.isEmpty();
    }

    /** SIGKILL, so a leftover never keeps CI waiting; the process may be gone already. */
    static void kill(int pid) {
        try {
            LibC.kill(pid, Signal.SIGKILL.number());
        } catch (RuntimeException ignored) {
            // gone
        }
    }

    private static String field(String status, String name) {
        for (String line : status.split("\n")) {
            if (line.startsWith(name + ":")) {
                return line.substring(name.length() + 1).strip();
            }
        }
        return "";
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
