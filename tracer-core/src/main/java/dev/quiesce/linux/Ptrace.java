package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * ptrace(2) requests, options and events, with thin wrappers. Every call here must be made on
 * the tracer thread (ARCHITECTURE.md fact 1: a tracee belongs to the thread that seized it),
 * and every call may fail with ESRCH because the thread died meanwhile (fact 9).
 */
public final class Ptrace {
    public static final int PEEKUSER = 3;
    public static final int POKEUSER = 6;
    public static final int CONT = 7;
    public static final int KILL = 8;
    public static final int SINGLESTEP = 9;
    public static final int GETREGS = 12;
    public static final int SETREGS = 13;
    public static final int GETFPREGS = 14;
    public static final int SETFPREGS = 15;
    public static final int DETACH = 17;
    public static final int SINGLEBLOCK = 33;
    public static final int SYSCALL = 24;
    public static final int SETOPTIONS = 0x4200;
    public static final int GETEVENTMSG = 0x4201;
    public static final int GETSIGINFO = 0x4202;
    public static final int SEIZE = 0x4206;
    public static final int INTERRUPT = 0x4207;
    public static final int LISTEN = 0x4208;

    public static final int O_TRACESYSGOOD = 0x1;
    public static final int O_TRACEFORK = 0x2;
    public static final int O_TRACEVFORK = 0x4;
    public static final int O_TRACECLONE = 0x8;
    public static final int O_TRACEEXEC = 0x10;
    public static final int O_TRACEVFORKDONE = 0x20;
    public static final int O_TRACEEXIT = 0x40;
    public static final int O_TRACESECCOMP = 0x80;
    public static final int O_EXITKILL = 0x100000;

    public static final int EVENT_FORK = 1;
    public static final int EVENT_VFORK = 2;
    public static final int EVENT_CLONE = 3;
    public static final int EVENT_EXEC = 4;
    public static final int EVENT_VFORK_DONE = 5;
    public static final int EVENT_EXIT = 6;
    public static final int EVENT_SECCOMP = 7;
    public static final int EVENT_STOP = 128;

    private static final ThreadLocal<Memory> SCRATCH = ThreadLocal.withInitial(() -> new Memory(256));

    private Ptrace() {
    }

    public static void seize(int pid, int options) throws LastErrorException {
        LibC.ptrace(SEIZE, pid, 0, options);
    }

    /** Stops a running thread without a signal the program could see (PTRACE_EVENT_STOP follows). */
    public static void interrupt(int tid) throws LastErrorException {
        LibC.ptrace(INTERRUPT, tid, 0, 0);
    }

    public static void cont(int tid, int signal) throws LastErrorException {
        LibC.ptrace(CONT, tid, 0, signal);
    }

    /** Restarts a group-stopped thread without ending the group-stop (ptrace(2), "PTRACE_LISTEN"). */
    public static void listen(int tid) throws LastErrorException {
        LibC.ptrace(LISTEN, tid, 0, 0);
    }

    /** Executes one instruction, then a SIGTRAP (si_code TRAP_TRACE) stop. */
    public static void singleStep(int tid, int signal) throws LastErrorException {
        LibC.ptrace(SINGLESTEP, tid, 0, signal);
    }

    /** Runs to the next branch (x86 BTF), then a SIGTRAP stop. */
    public static void singleBlock(int tid, int signal) throws LastErrorException {
        LibC.ptrace(SINGLEBLOCK, tid, 0, signal);
    }

    /** Reads one word of the thread's user area (struct user), e.g. a register by its offset. */
    public static long peekUser(int tid, long offset) throws LastErrorException {
        return LibC.ptrace(PEEKUSER, tid, offset, 0);
    }

    public static void pokeUser(int tid, long offset, long value) throws LastErrorException {
        LibC.ptrace(POKEUSER, tid, offset, value);
    }

    /** Fills {@code buffer} with the thread's user_regs_struct (27 words). */
    public static void getRegs(int tid, Memory buffer) throws LastErrorException {
        LibC.ptrace(GETREGS, tid, 0, Pointer.nativeValue(buffer));
    }

    public static void setRegs(int tid, Memory buffer) throws LastErrorException {
        LibC.ptrace(SETREGS, tid, 0, Pointer.nativeValue(buffer));
    }

    /** Fills {@code buffer} (512 bytes) with the thread's FXSAVE area: x87, MXCSR, XMM0-15. */
    public static void getFpRegs(int tid, Memory buffer) throws LastErrorException {
        LibC.ptrace(GETFPREGS, tid, 0, Pointer.nativeValue(buffer));
    }

    public static void setFpRegs(int tid, Memory buffer) throws LastErrorException {
        LibC.ptrace(SETFPREGS, tid, 0, Pointer.nativeValue(buffer));
    }

    public static void detach(int tid, int signal) throws LastErrorException {
        LibC.ptrace(DETACH, tid, 0, signal);
    }

    public static long eventMessage(int tid) throws LastErrorException {
        Memory scratch = SCRATCH.get();
        LibC.ptrace(GETEVENTMSG, tid, 0, Pointer.nativeValue(scratch));
        return scratch.getLong(0);
    }

    /**
     * The siginfo of the current stop. Fails with EINVAL for a group-stop, which is how
     * ptrace(2) tells a group-stop apart from other PTRACE_EVENT_STOPs.
     */
    public static SigInfo sigInfo(int tid) throws LastErrorException {
        Memory scratch = SCRATCH.get();
        LibC.ptrace(GETSIGINFO, tid, 0, Pointer.nativeValue(scratch));
        return SigInfo.read(scratch);
    }
}
