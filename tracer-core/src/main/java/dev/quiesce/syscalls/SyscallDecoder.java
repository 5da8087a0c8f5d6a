package dev.quiesce.syscalls;

import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.SyscallInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a syscall-stop into the line strace would print: arguments of the common calls decoded
 * (strings read from memory, flags and constants by name), the others as hex; the exit as
 * {@code = 3} or {@code = -1 ENOENT}.
 */
public final class SyscallDecoder {
    private static final int STRING_LIMIT = 32;
    private static final int PATH_LIMIT = 4096;
    private static final long AT_FDCWD = -100;

    /** How one argument is shown. */
    private enum Kind { INT, UINT, HEX, FD, DIRFD, PATH, BUFFER, OPEN_FLAGS, MODE, SIGNAL }

    private static final Map<String, List<Kind>> SIGNATURES = Map.ofEntries(
            Map.entry("read", List.of(Kind.FD, Kind.HEX, Kind.UINT)),
            Map.entry("write", List.of(Kind.FD, Kind.BUFFER, Kind.UINT)),
            Map.entry("pread64", List.of(Kind.FD, Kind.HEX, Kind.UINT, Kind.INT)),
            Map.entry("pwrite64", List.of(Kind.FD, Kind.BUFFER, Kind.UINT, Kind.INT)),
            Map.entry("open", List.of(Kind.PATH, Kind.OPEN_FLAGS, Kind.MODE)),
            Map.entry("openat", List.of(Kind.DIRFD, Kind.PATH, Kind.OPEN_FLAGS, Kind.MODE)),
            Map.entry("creat", List.of(Kind.PATH, Kind.MODE)),
            Map.entry("close", List.of(Kind.FD)),
            Map.entry("dup", List.of(Kind.FD)),
            Map.entry("dup2", List.of(Kind.FD, Kind.FD)),
            Map.entry("lseek", List.of(Kind.FD, Kind.INT, Kind.INT)),
            Map.entry("unlink", List.of(Kind.PATH)),
            Map.entry("unlinkat", List.of(Kind.DIRFD, Kind.PATH, Kind.HEX)),
            Map.entry("mkdir", List.of(Kind.PATH, Kind.MODE)),
            Map.entry("chdir", List.of(Kind.PATH)),
            Map.entry("access", List.of(Kind.PATH, Kind.INT)),
            Map.entry("faccessat", List.of(Kind.DIRFD, Kind.PATH, Kind.INT)),
            Map.entry("stat", List.of(Kind.PATH, Kind.HEX)),
            Map.entry("newfstatat", List.of(Kind.DIRFD, Kind.PATH, Kind.HEX, Kind.HEX)),
            Map.entry("fstat", List.of(Kind.FD, Kind.HEX)),
            Map.entry("readlink", List.of(Kind.PATH, Kind.HEX, Kind.UINT)),
            Map.entry("execve", List.of(Kind.PATH, Kind.HEX, Kind.HEX)),
            Map.entry("getpid", List.of()),
            Map.entry("getppid", List.of()),
            Map.entry("gettid", List.of()),
            Map.entry("getuid", List.of()),
            Map.entry("sched_yield", List.of()),
            Map.entry("exit", List.of(Kind.INT)),
            Map.entry("exit_group", List.of(Kind.INT)),
            Map.entry("kill", List.of(Kind.INT, Kind.SIGNAL)),
            Map.entry("tkill", List.of(Kind.INT, Kind.SIGNAL)),
            Map.entry("tgkill", List.of(Kind.INT, Kind.INT, Kind.SIGNAL)),
            Map.entry("nanosleep", List.of(Kind.HEX, Kind.HEX)),
            Map.entry("clock_nanosleep", List.of(Kind.INT, Kind.INT, Kind.HEX, Kind.HEX)),
            Map.entry("brk", List.of(Kind.HEX)),
            Map.entry("munmap", List.of(Kind.HEX, Kind.UINT)),
            Map.entry("mmap", List.of(Kind.HEX, Kind.UINT, Kind.HEX, Kind.HEX, Kind.FD, Kind.HEX)),
            Map.entry("mprotect", List.of(Kind.HEX, Kind.UINT, Kind.HEX)),
            Map.entry("pipe2", List.of(Kind.HEX, Kind.OPEN_FLAGS)),
            Map.entry("ioctl", List.of(Kind.FD, Kind.HEX, Kind.HEX)),
            Map.entry("fsync", List.of(Kind.FD)));

    private static final long[] FLAG_VALUES = {0100, 0200, 0400, 01000, 02000, 04000, 010000, 0200000, 0400000, 02000000, 010000000};
    private static final String[] FLAG_NAMES = {"O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK",
        "O_DSYNC", "O_DIRECTORY", "O_NOFOLLOW", "O_CLOEXEC", "O_PATH"};

    private SyscallDecoder() {
    }

    /** {@code openat(AT_FDCWD, "/dev/null", O_WRONLY)}. Memory may be null: strings show as pointers. */
    public static String entry(SyscallInfo info, ProcessMemory memory) {
        String name = SyscallTable.name(info.number());
        List<Kind> kinds = SIGNATURES.getOrDefault(name, List.of(Kind.HEX, Kind.HEX, Kind.HEX));
        List<String> shown = new ArrayList<>();
        long[] args = info.args();
        for (int i = 0; i < kinds.size(); i++) {
            Kind kind = kinds.get(i);
            if (kind == Kind.MODE && i > 0 && kinds.get(i - 1) == Kind.OPEN_FLAGS && (args[i - 1] & 0100) == 0) {
                continue; // like strace: the mode only matters with O_CREAT
            }
            shown.add(argument(kind, args[i], args, i, memory));
        }
        return name + "(" + String.join(", ", shown) + ")";
    }

    /** {@code openat = 3}, or {@code openat = -1 ENOENT}. */
    public static String exit(String name, SyscallInfo info) {
        long value = info.returnValue();
        if (info.error()) {
            return name + " = -1 " + SyscallTable.errnoName(-value);
        }
        return name + " = " + (Math.abs(value) > 0xffff ? "0x" + Long.toHexString(value) : Long.toString(value));
    }

    private static String argument(Kind kind, long value, long[] args, int index, ProcessMemory memory) {
        switch (kind) {
            case INT:
            case FD:
                return Integer.toString((int) value);
            case DIRFD:
                return value == AT_FDCWD || (int) value == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) value);
            case UINT:
                return Long.toUnsignedString(value);
            case PATH:
                return string(memory, value, PATH_LIMIT, true);
            case BUFFER:
                return string(memory, value, (int) Math.min(Math.max(args[index + 1], 0), STRING_LIMIT), false)
                        + (args[index + 1] > STRING_LIMIT ? "..." : "");
            case OPEN_FLAGS:
                return openFlags(value);
            case MODE:
                return "0" + Long.toOctalString(value);
            case SIGNAL:
                return Signal.nameOf((int) value);
            default:
                return value == 0 ? "NULL" : "0x" + Long.toHexString(value);
        }
    }

    static String openFlags(long flags) {
        StringBuilder out = new StringBuilder();
        long mode = flags & 3;
        out.append(mode == 0 ? "O_RDONLY" : mode == 1 ? "O_WRONLY" : mode == 2 ? "O_RDWR" : "O_ACCMODE");
        long rest = flags & ~3L;
        for (int i = 0; i < FLAG_VALUES.length; i++) {
            if ((rest & FLAG_VALUES[i]) != 0) {
                out.append('|').append(FLAG_NAMES[i]);
                rest &= ~FLAG_VALUES[i];
            }
        }
        if (rest != 0) {
            out.append("|0").append(Long.toOctalString(rest));
        }
        return out.toString();
    }

    /** A C string (up to NUL) or a buffer of {@code limit} bytes, quoted and escaped. */
    private static String string(ProcessMemory memory, long address, int limit, boolean untilNul) {
        if (address == 0) {
            return "NULL";
        }
        if (memory == null) {
            return "0x" + Long.toHexString(address);
        }
        byte[] bytes = memory.read(address, Math.max(limit, 0));
        if (bytes.length == 0 && limit > 0) {
            return "0x" + Long.toHexString(address);
        }
        StringBuilder out = new StringBuilder("\"");
        int shown = 0;
        for (byte b : bytes) {
            if (untilNul && b == 0) {
                break;
            }
            if (shown++ >= STRING_LIMIT * 8) {
                out.append("\"...");
                return out.toString();
            }
            int c = b & 0xff;
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\%o", c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
