package dev.quiesce.engine;

import dev.quiesce.linux.SigInfo;

/** What an engine is told about a thread. All are reported with the thread stopped, but EXIT. */
public sealed interface ThreadEvent {
    int tid();

    EventType type();

    record ThreadStarted(int tid) implements ThreadEvent {
        public EventType type() {
            return EventType.THREAD_START;
        }
    }

    record Cloned(int tid, int childTid) implements ThreadEvent {
        public EventType type() {
            return EventType.CLONE;
        }
    }

    /** The program exec'd; {@code formerTid} is the thread that called execve (ptrace(2)). */
    record Exec(int tid, int formerTid) implements ThreadEvent {
        public EventType type() {
            return EventType.EXEC;
        }
    }

    record Exited(int tid) implements ThreadEvent {
        public EventType type() {
            return EventType.EXIT;
        }
    }

    /** A signal-delivery-stop; the signal is delivered on resume unless an engine suppresses it. */
    record SignalReceived(int tid, SigInfo info) implements ThreadEvent {
        public EventType type() {
            return EventType.SIGNAL;
        }
    }

    /** A syscall-stop; {@code number} is the syscall's (remembered from its entry at the exit), -1 if unknown. */
    record Syscall(int tid, boolean entry, long number, dev.quiesce.linux.SyscallInfo info) implements ThreadEvent {
        public EventType type() {
            return EventType.SYSCALL;
        }
    }

    /** The entry of a syscall trapped by the seccomp filter (PTRACE_EVENT_SECCOMP). */
    record SeccompSyscall(int tid, long number, dev.quiesce.linux.SyscallInfo info) implements ThreadEvent {
        public EventType type() {
            return EventType.SECCOMP;
        }
    }

    /** The thread executed the int3 at {@code address}; its pc is {@code address} again. */
    record BreakpointHit(int tid, long address) implements ThreadEvent {
        public EventType type() {
            return EventType.BREAKPOINT;
        }
    }

    /** Debug-register watchpoints fired: bit i of {@code slots} is the i-th of {@link TracedProcess#setHardwareWatchpoints}. */
    record WatchpointHit(int tid, int slots) implements ThreadEvent {
        public EventType type() {
            return EventType.WATCHPOINT;
        }
    }

    /**
     * A page trap ({@link TracedProcess#trapPageAccesses}) saw the thread access memory that
     * overlaps a trapped range: the access is done and the pc is past the instruction.
     * {@code kind} is WRITE or READ when the instruction was decoded ([address, address + length)
     * is exactly what it accessed); UNKNOWN when it was not (an instruction single-stepped:
     * from the fault address on; a system call: the whole page), and then anything on the
     * page at {@code address} may have changed.
     */
    record PageAccess(int tid, long address, int length, Kind kind) implements ThreadEvent {
        public enum Kind { READ, WRITE, UNKNOWN }

        public EventType type() {
            return EventType.PAGE_ACCESS;
        }
    }

    record Stepped(int tid) implements ThreadEvent {
        public EventType type() {
            return EventType.STEP;
        }
    }

    record Quiesced(int tid) implements ThreadEvent {
        public EventType type() {
            return EventType.QUIESCE;
        }
    }
}
