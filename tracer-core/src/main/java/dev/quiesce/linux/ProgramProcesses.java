package dev.quiesce.linux;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The running processes of one executable, from /proc (attach by {@code program}). */
public final class ProgramProcesses {
    private ProgramProcesses() {
    }

    /** A process and its command line, for a message that lists several. */
    public record Match(int pid, String commandLine) {
    }

    /**
     * The processes whose {@code /proc/PID/exe} is {@code program} (a path: the same file; a bare
     * name: an executable of that file name), this JVM left out.
     */
    public static List<Match> of(String program) {
        Path wanted = program.contains("/") ? realPath(Path.of(program)) : null;
        long self = ProcessHandle.current().pid();
        List<Match> found = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                int pid = Integer.parseInt(dir.getFileName().toString());
                if (pid == self) {
                    continue;
                }
                Path exe = realPath(dir.resolve("exe"));
                if (exe == null) {
                    continue; // a kernel thread, a zombie, or not ours to see
                }
                boolean same = wanted != null ? exe.equals(wanted) : exe.getFileName().toString().equals(program);
                if (same) {
                    found.add(new Match(pid, commandLine(dir)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        found.sort(java.util.Comparator.comparingInt(Match::pid));
        return found;
    }

    /** The pids running now (the baseline for {@link #firstNew}). */
    public static java.util.Set<Integer> running() {
        java.util.Set<Integer> pids = new java.util.HashSet<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path dir : proc) {
                pids.add(Integer.parseInt(dir.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return pids;
    }

    /**
     * Polls /proc every {@code intervalNanos} until a process that was not in {@code before}
     * runs {@code program} (a new process is checked again at each poll: it may be a fork that
     * execs the program later), and returns its pid; -1 once {@code cancelled} says so. The
     * process has run for up to about one interval (plus the scan) when it is found.
     */
    public static int firstNew(Path program, java.util.Set<Integer> before, long intervalNanos,
            java.util.function.BooleanSupplier cancelled) {
        Path wanted = realPath(program);
        while (!cancelled.getAsBoolean()) {
            try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path dir : proc) {
                    int pid = Integer.parseInt(dir.getFileName().toString());
                    if (!before.contains(pid) && wanted != null && wanted.equals(realPath(dir.resolve("exe")))) {
                        return pid;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(intervalNanos);
        }
        return -1;
    }

    private static Path realPath(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    private static String commandLine(Path dir) {
        try {
            byte[] raw = Files.readAllBytes(dir.resolve("cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return "";
        }
    }
}
