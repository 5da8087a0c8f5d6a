package dev.quiesce.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What /proc says about processes and threads. Every read may race with the thread's exit. */
public final class ProcFs {
    private ProcFs() {
    }

    /** The thread ids in /proc/PID/task, sorted; empty if the process is gone. */
    public static List<Integer> tasks(int pid) {
        List<Integer> tids = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("/proc", Integer.toString(pid), "task"))) {
            for (Path p : dir) {
                tids.add(Integer.parseInt(p.getFileName().toString()));
            }
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
        tids.sort(null);
        return tids;
    }

    /** The thread's name (comm, at most 15 characters), if it still exists. */
    public static Optional<String> threadName(int pid, int tid) {
        try {
            String comm = Files.readString(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "comm"));
            return Optional.of(comm.strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The thread group (process) id of a thread, from /proc/TID/status. */
    public static Optional<Integer> threadGroupOf(int tid) {
        return statusNumber(tid, "Tgid:");
    }

    /** The parent process id of a thread's process (PPid in /proc/TID/status; a reaper once orphaned). */
    public static Optional<Integer> parentOf(int tid) {
        return statusNumber(tid, "PPid:");
    }

    private static Optional<Integer> statusNumber(int tid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(tid), "status"))) {
                if (line.startsWith(field)) {
                    return Optional.of(Integer.parseInt(line.substring(field.length()).strip()));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** Whether {@code signal} is pending for the thread itself (SigPnd in /proc/PID/task/TID/status). */
    public static boolean hasPendingSignal(int pid, int tid, int signal) {
        try {
            Path status = Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "status");
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigPnd:")) {
                    long mask = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (mask & (1L << (signal - 1))) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    /**
     * Whether {@code signal} is pending for the thread itself (SigPnd, not the process-wide
     * ShdPnd) and not blocked by it (SigBlk): it will be dequeued the next time the thread runs.
     */
    public static boolean hasPendingUnblockedSignal(int pid, int tid, int signal) {
        long bit = 1L << (signal - 1);
        long pending = 0;
        long blocked = 0;
        try {
            Path status = Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "status");
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigPnd:")) {
                    pending = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                } else if (line.startsWith("SigBlk:")) {
                    blocked = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return (pending & bit) != 0 && (blocked & bit) == 0;
    }

    /** One line of /proc/PID/maps. */
    public record Mapping(long start, long end, String permissions, long offset, String path) {
    }

    /** The process's memory mappings, in address order; empty if it is gone. */
    public static List<Mapping> maps(int pid) {
        List<Mapping> result = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(pid), "maps"))) {
                String[] f = line.trim().split("\\s+", 6);
                if (f.length < 5) {
                    continue;
                }
                String[] range = f[0].split("-");
                result.add(new Mapping(Long.parseUnsignedLong(range[0], 16), Long.parseUnsignedLong(range[1], 16),
                        f[1], Long.parseUnsignedLong(f[2], 16), f.length == 6 ? f[5] : ""));
            }
        } catch (IOException | NumberFormatException e) {
            return List.of();
        }
        return result;
    }

    /** The process's auxiliary vector (/proc/PID/auxv) as type → value; empty if it is gone. */
    public static java.util.Map<Long, Long> auxv(int pid) {
        java.util.Map<Long, Long> result = new java.util.HashMap<>();
        try {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "auxv")))
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            while (b.remaining() >= 16) {
                long type = b.getLong();
                long value = b.getLong();
                if (type == 0) {
                    break;
                }
                result.put(type, value);
            }
        } catch (IOException e) {
            return java.util.Map.of();
        }
        return result;
    }
}
