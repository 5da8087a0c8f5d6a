package dev.quiesce.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.stream.Stream;

/**
 * CPU time a debugger's process tree has used so far, in nanoseconds: every thread of the root
 * and of its descendants (lldb-vscode's lldb-server; the JIT and GC threads of a JVM), from
 * /proc/PID/task/TID/schedstat. The debuggee is stopped while it is measured and adds nothing.
 * On a shared machine a request's wall time is its CPU plus its waits for a core; this is the first.
 */
final class ProcessTreeCpu {
    private ProcessTreeCpu() {}

    static long nanos(long rootPid) {
        ProcessHandle root = ProcessHandle.of(rootPid).orElse(null);
        if (root == null) {
            return 0;
        }
        return Stream.concat(Stream.of(root), root.descendants()).mapToLong(p -> threads(p.pid())).sum();
    }

    private static long threads(long pid) {
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        long sum = 0;
        if (tasks != null) {
            for (File t : tasks) {
                try {
                    sum += Long.parseLong(Files.readString(t.toPath().resolve("schedstat")).trim().split(" ")[0]);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return sum;
    }
}
