package dev.quiesce.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Resident memory of a debugger's process tree, without the debuggee (from /proc/PID/status). */
final class ProcessTreeMemory {
    private ProcessTreeMemory() {}

    static long rssKib(long rootPid, Path debuggee) {
        Path program = realPath(debuggee);
        ProcessHandle root = ProcessHandle.of(rootPid).orElse(null);
        if (root == null) {
            return -1;
        }
        return Stream.concat(Stream.of(root), root.descendants())
                .filter(p -> !program.equals(exe(p.pid())))
                .mapToLong(p -> vmRss(p.pid()))
                .sum();
    }

    private static Path exe(long pid) {
        try {
            return Path.of("/proc", Long.toString(pid), "exe").toRealPath();
        } catch (IOException | SecurityException gone) {
            return null;
        }
    }

    private static long vmRss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // exited meanwhile
        }
        return 0;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath();
        }
    }
}
