package dev.quiesce.dap;

import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.syscalls.SyscallDecoder;
import dev.quiesce.syscalls.SyscallTable;

/**
 * How a syscall stop is worded in its stopped event: {@code syscall entry: write(1, "hi\n", 3)},
 * {@code syscall exit: write = 3}. Worded while the thread is stopped (the listener's callback):
 * an entry's string arguments are read from its memory.
 */
final class SyscallStopText {
    private SyscallStopText() {
    }

    static String of(ThreadEvent.Syscall syscall, ProcessMemory memory) {
        return syscall.entry()
                ? "syscall entry: " + SyscallDecoder.entry(syscall.info(), memory)
                : "syscall exit: " + SyscallDecoder.exit(SyscallTable.name(syscall.number()), syscall.info());
    }
}
