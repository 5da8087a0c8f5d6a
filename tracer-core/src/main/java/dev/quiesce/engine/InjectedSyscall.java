package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.WaitStatus;
import java.util.logging.Logger;

/**
 * One system call made by a stopped thread of the program for us (an {@code mprotect} of a
 * watched page), at once, on the tracer thread: its registers are saved, set to the call and
 * to a {@code syscall} instruction of the vDSO, the thread single-steps that one instruction
 * (PTRACE_SINGLESTEP: no syscall-stops even where syscalls are traced) and its registers are
 * restored. orig_rax -1 keeps the kernel from restarting an interrupted syscall of the thread
 * into ours; restoring the saved registers lets that restart happen later as it would have.
 *
 * <p>Never at a syscall-entry stop: the kernel would still run (or skip) the entered syscall
 * with our registers. The wait is for this thread alone: a signal that arrives meanwhile is
 * kept as its pending signal (delivered at its next restart), an INTERRUPT's stop is consumed,
 * an exit is handed back to the tracer's normal dispatch.
 */
final class InjectedSyscall {
    private static final Logger LOG = Logger.getLogger(InjectedSyscall.class.getName());
    private static final int WALL = 0x40000000;
    private static final int MAX_STOPS = 8;
    static final long MPROTECT = 10;

    private InjectedSyscall() {
    }

    /**
     * Whether a syscall can be injected into this thread now: not at a syscall entry, not at an
     * event stop inside a syscall (fork, clone, exec...: the kernel would set rax to that
     * syscall's result on the way out, over ours), not group-stopped (it would leave the stop).
     */
    static boolean canUse(TracedThread t) {
        return t.stopped() && !t.exiting && !t.inGroupStop && !t.atSyscallEntry && !t.atSeccompEntry && !t.atKernelEvent && t.call == null;
    }

    /** The address of a {@code 0f 05} in the process's vDSO (0 if none: no injection possible). */
    static long findSyscallInstruction(ProcessCore process) {
        for (ProcFs.Mapping m : ProcFs.maps(process.pid())) {
            if (m.path().equals("[vdso]")) {
                byte[] code = process.memory.read(m.start(), (int) (m.end() - m.start()));
                for (int i = 0; i + 1 < code.length; i++) {
                    if (code[i] == 0x0f && code[i + 1] == 0x05) {
                        return m.start() + i;
                    }
                }
            }
        }
        return 0;
    }

    /** The syscall's return value (a negative errno on failure). */
    static long run(ProcessCore process, TracedThread t, long instruction, long number, long a0, long a1, long a2) {
        if (!canUse(t) || instruction == 0) {
            throw new TracerException("cannot make a system call in thread " + t.tid + " now");
        }
        Registers saved = Registers.read(t.tid);
        Registers call = saved.with(Registers.RAX, number).with(Registers.ORIG_RAX, -1).with(Registers.RIP, instruction)
                .with(14, a0).with(13, a1).with(12, a2) // rdi rsi rdx
                .with(Registers.EFLAGS, saved.eflags() & ~Registers.TRAP_FLAG);
        call.write(t.tid);
        int[] status = new int[1];
        int deferredSignal = 0;
        try {
            for (int stops = 0; stops < MAX_STOPS; stops++) {
                Ptrace.singleStep(t.tid, 0);
                int got;
                do {
                    try {
                        got = LibC.waitpid(t.tid, status, WALL);
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != Errno.EINTR) {
                            throw e;
                        }
                        got = 0;
                    }
                } while (got != t.tid);
                WaitStatus ws = new WaitStatus(t.tid, status[0]);
                if (!ws.stopped()) {
                    t.kernel = KernelState.RUNNING; // the tracer's dispatch takes the exit from here
                    process.tracer().run(() -> process.tracerOwned.handle(t, ws));
                    throw new TracerException("thread " + t.tid + " ended during an injected system call");
                }
                if (ws.event() == Ptrace.EVENT_EXIT) {
                    t.exiting = true;
                    throw new TracerException("thread " + t.tid + " is exiting");
                }
                if (ws.event() == 0 && ws.stopSignal() == Signal.SIGTRAP.number()
                        && Ptrace.peekUser(t.tid, Registers.offset(Registers.RIP)) == instruction + 2) {
                    long result = Ptrace.peekUser(t.tid, Registers.offset(Registers.RAX));
                    saved.write(t.tid);
                    return result;
                }
                if (ws.event() == Ptrace.EVENT_STOP) {
                    t.interruptSent = false; // our INTERRUPT's (late) stop, or a group-stop: step on
                } else if (ws.event() == 0 && ws.stopSignal() != Signal.SIGTRAP.number()) {
                    deferredSignal = ws.stopSignal(); // arrived before the syscall ran: delivered later
                }
                // a SIGTRAP short of the syscall is our step's own, taken before its first
                // instruction (leaving a syscall-stop or event stop): step again
            }
            throw new TracerException("thread " + t.tid + " did not finish an injected system call");
        } finally {
            if (deferredSignal != 0 && t.pendingSignal == 0) {
                int s = deferredSignal;
                LOG.fine(() -> "signal " + s + " of thread " + t.tid + " arrived during an injected syscall: delivered at its restart");
                t.pendingSignal = s;
            }
            if (t.alive() && !t.exiting) {
                try {
                    saved.write(t.tid);
                } catch (LastErrorException e) {
                    LOG.fine(() -> "restoring registers of " + t.tid + ": " + Errno.describe(e.getErrorCode()));
                }
            }
        }
    }

    /**
     * The same in a fork or vfork child at its first stop, before it is detached (not one of our
     * threads). Returns the result; {@code deferred[0]} gets a signal that arrived meanwhile.
     */
    static long inChild(int pid, long instruction, long number, long a0, long a1, long a2, int[] deferred) {
        Registers saved = Registers.read(pid);
        saved.with(Registers.RAX, number).with(Registers.ORIG_RAX, -1).with(Registers.RIP, instruction)
                .with(14, a0).with(13, a1).with(12, a2).with(Registers.EFLAGS, saved.eflags() & ~Registers.TRAP_FLAG).write(pid);
        int[] status = new int[1];
        try {
            for (int stops = 0; stops < MAX_STOPS; stops++) {
                Ptrace.singleStep(pid, 0);
                while (true) {
                    try {
                        if (LibC.waitpid(pid, status, WALL) == pid) {
                            break;
                        }
                    } catch (LastErrorException e) {
                        if (e.getErrorCode() != Errno.EINTR) {
                            throw e;
                        }
                    }
                }
                WaitStatus ws = new WaitStatus(pid, status[0]);
                if (!ws.stopped() || ws.event() == Ptrace.EVENT_EXIT) {
                    throw new TracerException("child " + pid + " ended during an injected system call");
                }
                if (ws.event() == 0 && ws.stopSignal() == Signal.SIGTRAP.number()
                        && Ptrace.peekUser(pid, Registers.offset(Registers.RIP)) == instruction + 2) {
                    return Ptrace.peekUser(pid, Registers.offset(Registers.RAX));
                }
                if (ws.event() == 0 && ws.stopSignal() != Signal.SIGTRAP.number()) {
                    deferred[0] = ws.stopSignal();
                }
            }
            throw new TracerException("child " + pid + " did not finish an injected system call");
        } finally {
            try {
                saved.write(pid);
            } catch (LastErrorException e) {
                LOG.fine(() -> "restoring registers of child " + pid + ": " + Errno.describe(e.getErrorCode()));
            }
        }
    }
}
