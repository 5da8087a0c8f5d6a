package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.Ptrace;
import java.util.List;
import java.util.logging.Logger;

/**
 * The process's hardware watchpoints in the x86-64 debug registers (DR0-DR3 addresses, DR7
 * enables, DR6 status), written into every thread through PTRACE_POKEUSER at
 * offsetof(struct user, u_debugreg). A thread's registers are its own (clone does not copy
 * them), so each thread is brought up to date at its next restart: {@link #generation} counts
 * changes and a thread remembers the one it has. Tracer thread only.
 */
final class DebugRegisters {
    private static final Logger LOG = Logger.getLogger(DebugRegisters.class.getName());
    /** offsetof(struct user, u_debugreg) on x86-64 (sys/user.h; checked with gcc: 848). */
    static final long U_DEBUGREG = 848;
    static final long DR6 = U_DEBUGREG + 6 * 8;
    static final long DR7 = U_DEBUGREG + 7 * 8;
    static final int SLOTS = 4;

    private List<HardwareWatch> watches = List.of();
    /** 0: never set, so threads of a process without watchpoints cost nothing. */
    private int generation;

    /** Replaces the set (at most four); threads follow at their next restart. */
    void set(List<HardwareWatch> wanted) {
        if (wanted.size() > SLOTS) {
            throw new IllegalArgumentException("x86-64 has 4 debug registers; " + wanted.size() + " watchpoints asked for");
        }
        watches = List.copyOf(wanted);
        generation++;
    }

    List<HardwareWatch> watches() {
        return watches;
    }

    /** Writes the current set into a stopped thread if it has an older one. */
    void bringUpToDate(TracedThread t) {
        if (t.debugRegisters == generation) {
            return;
        }
        try {
            write(t.tid, watches);
            t.debugRegisters = generation;
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.ESRCH) {
                throw new TracerException("cannot set debug registers of thread " + t.tid + ": " + Errno.describe(e.getErrorCode()));
            }
        }
    }

    /** Empties a stopped thread's debug registers (detach: nothing of ours may stay behind). */
    void clear(TracedThread t) {
        if (t.debugRegisters == 0) {
            return;
        }
        try {
            write(t.tid, List.of());
        } catch (LastErrorException e) {
            LOG.fine(() -> "clearing debug registers of " + t.tid + ": " + Errno.describe(e.getErrorCode()));
        }
        t.debugRegisters = 0;
    }

    /**
     * The slots that fired (DR6 bits 0-3), and DR6 cleared: the CPU never clears it, and a
     * stale bit would make the next single-step trap look like a hit.
     */
    static int takeHits(int tid) {
        long dr6 = Ptrace.peekUser(tid, DR6);
        Ptrace.pokeUser(tid, DR6, 0);
        return (int) (dr6 & 0xF);
    }

    private static void write(int tid, List<HardwareWatch> watches) {
        // DR7 to 0 first: the kernel validates each address against the enables in force.
        Ptrace.pokeUser(tid, DR7, 0);
        long dr7 = 0;
        for (int i = 0; i < watches.size(); i++) {
            HardwareWatch w = watches.get(i);
            Ptrace.pokeUser(tid, U_DEBUGREG + i * 8L, w.address());
            long rw = w.readsToo() ? 0b11 : 0b01; // 01: data writes, 11: data reads or writes
            long len = switch (w.length()) {
                case 1 -> 0b00;
                case 2 -> 0b01;
                case 8 -> 0b10;
                default -> 0b11; // 4
            };
            dr7 |= 1L << (2 * i); // local enable
            dr7 |= (rw | len << 2) << (16 + 4 * i);
        }
        if (dr7 != 0) {
            Ptrace.pokeUser(tid, DR7, dr7);
        }
    }
}
