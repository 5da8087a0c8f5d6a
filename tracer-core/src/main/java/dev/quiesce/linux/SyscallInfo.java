package dev.quiesce.linux;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * What PTRACE_GET_SYSCALL_INFO says of a syscall-stop (ptrace(2)): entry (number and six
 * arguments) or exit (return value, error flag). It, not a toggle of our own, decides entry
 * versus exit: a thread first traced inside a blocking syscall stops first at its exit.
 */
public record SyscallInfo(boolean entry, long number, long[] args, long returnValue, boolean error) {
    private static final int GET_SYSCALL_INFO = 0x420e;
    private static final int SIZE = 88;
    private static final int OP_ENTRY = 1;
    private static final int OP_EXIT = 2;
    /** A PTRACE_EVENT_SECCOMP stop: at the syscall's entry, before it runs; same layout as entry. */
    private static final int OP_SECCOMP = 3;

    /** Called on the tracer thread only: one buffer, no allocation per stop. */
    private static final ThreadLocal<Memory> BUFFER = ThreadLocal.withInitial(() -> new Memory(SIZE));

    public static SyscallInfo read(int tid) {
        Memory buffer = BUFFER.get();
        buffer.clear();
        LibC.ptrace(GET_SYSCALL_INFO, tid, SIZE, Pointer.nativeValue(buffer));
        int op = buffer.getByte(0);
        if (op == OP_ENTRY || op == OP_SECCOMP) {
            return new SyscallInfo(true, buffer.getLong(24), buffer.getLongArray(32, 6), 0, false);
        }
        if (op == OP_EXIT) {
            return new SyscallInfo(false, -1, new long[6], buffer.getLong(24), buffer.getByte(32) != 0);
        }
        throw new IllegalStateException("not a syscall-stop (op " + op + ")");
    }
}
