package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.SyscallInfo;
import dev.quiesce.linux.WaitStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one ptrace stop of one thread into what happened (ptrace(2), "Stopped states") and
 * tells the engines. Restarting is not done here: {@link ProcessCore#settle} decides that
 * once every engine has answered. Tracer thread only.
 */
final class StopHandler {
    /** si_code values of SIGTRAP on x86-64 (ARCHITECTURE.md fact 7). */
    private static final int TRAP_BRKPT = 1;
    private static final int TRAP_TRACE = 2;
    private static final int TRAP_HWBKPT = 4;
    private static final long PC = Registers.offset(Registers.RIP);
    /** No pc read yet (no x86-64 user address is this). */
    private static final long UNKNOWN = Long.MIN_VALUE;

    private final ProcessCore process;

    StopHandler(ProcessCore process) {
        this.process = process;
    }

    void stopped(TracedThread t, WaitStatus ws) {
        if (process.detacher().takesStop(t, ws)) {
            return;
        }
        t.atSyscallEntry = false;
        t.atKernelEvent = ws.event() != 0 && ws.event() != Ptrace.EVENT_STOP;
        if (process.pageTraps.step.finish(t, ws)) {
            return;
        }
        boolean steppedOver = process.stepOvers.finish(t);
        if (steppedOver && ws.event() == 0 && ws.stopSignal() == Signal.SIGTRAP.number()) {
            // The step-over's own trap: the pc moved past the breakpoint (no GETSIGINFO needed).
            stepDone(t);
            return;
        }
        if (ws.syscallStop()) {
            syscallStop(t);
            return;
        }
        switch (ws.event()) {
            case Ptrace.EVENT_CLONE -> {
                long child = eventMessage(t);
                if (child > 0 && cloneMadeAProcess(t)) {
                    // clone without CLONE_THREAD and CLONE_VM and with another exit signal than
                    // SIGCHLD (which would report a FORK event): a new process, as a fork child is.
                    process.tracer().forkChild((int) child, process, false);
                } else if (child > 0) {
                    process.tracerOwned.adoptThread((int) child);
                    process.control.deliver(t, new ThreadEvent.Cloned(t.tid, (int) child), null);
                }
            }
            case Ptrace.EVENT_FORK, Ptrace.EVENT_VFORK -> {
                long child = eventMessage(t);
                boolean vfork = ws.event() == Ptrace.EVENT_VFORK;
                if (vfork) {
                    // The child shares our memory until it execs or exits: it must not meet our int3s.
                    process.breakpoints.liftAll();
                }
                if (child > 0) {
                    process.tracer().forkChild((int) child, process, vfork);
                }
            }
            case Ptrace.EVENT_VFORK_DONE -> {
                process.breakpoints.restoreAll();
                process.pageTraps.vforkDone(t);
            }
            case Ptrace.EVENT_EXEC -> {
                long former = eventMessage(t);
                process.tracerOwned.execed(t);
                process.control.deliver(t, new ThreadEvent.Exec(t.tid, former > 0 ? (int) former : t.tid), null);
            }
            case Ptrace.EVENT_STOP -> eventStop(t, ws);
            case 0 -> signalStop(t, ws.stopSignal());
            case Ptrace.EVENT_EXIT -> t.exiting = true; // engines hear of it at the reap (EXIT)
            case Ptrace.EVENT_SECCOMP -> seccompStop(t);
            default -> {
                // events we did not ask for: nothing to report
            }
        }
    }

    private static final long CLONE_VM = 0x100;
    private static final long CLONE_THREAD = 0x10000;
    private static final long SYS_CLONE = 56;
    private static final long SYS_CLONE3 = 435;

    /**
     * At a CLONE event (the thread is inside clone or clone3): whether the flags made a process
     * of its own with its own memory (no CLONE_THREAD, no CLONE_VM). A new process sharing our
     * memory stays what it was taken for so far: one of our threads.
     */
    private boolean cloneMadeAProcess(TracedThread t) {
        try {
            Registers regs = Registers.read(t.tid);
            long nr = regs.get(Registers.ORIG_RAX);
            long flags;
            if (nr == SYS_CLONE) {
                flags = regs.get(14); // rdi
            } else if (nr == SYS_CLONE3) {
                flags = process.memory.readLong(regs.get(14)); // struct clone_args starts with its flags
            } else {
                return false;
            }
            return (flags & (CLONE_THREAD | CLONE_VM)) == 0;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void seccompStop(TracedThread t) {
        SyscallInfo info;
        try {
            info = SyscallInfo.read(t.tid);
        } catch (RuntimeException e) {
            return; // gone
        }
        if (t.inSyscall) {
            // Since Linux 4.8 a syscall-entry-stop comes before the seccomp check: a thread under
            // PTRACE_SYSCALL already reported this syscall's entry.
            return;
        }
        t.atSeccompEntry = true;
        t.syscallNumber = info.number();
        process.control.deliver(t, new ThreadEvent.SeccompSyscall(t.tid, info.number(), info), null);
    }

    private void syscallStop(TracedThread t) {
        SyscallInfo info;
        try {
            info = SyscallInfo.read(t.tid);
        } catch (RuntimeException e) {
            return; // gone
        }
        if (info.entry() && t.atSeccompEntry) {
            // Restarted with PTRACE_SYSCALL from a seccomp stop: this entry was already reported.
            t.atSeccompEntry = false;
            t.inSyscall = true;
            return;
        }
        t.atSeccompEntry = false;
        t.inSyscall = info.entry();
        t.atSyscallEntry = info.entry();
        if (info.entry()) {
            t.syscallNumber = info.number();
        }
        process.control.deliver(t, new ThreadEvent.Syscall(t.tid, info.entry(), t.syscallNumber, info), null);
    }

    /** PTRACE_EVENT_STOP: a new thread's first stop, an INTERRUPT, or a group-stop. */
    private void eventStop(TracedThread t, WaitStatus ws) {
        if (Signal.isStopSignal(ws.stopSignal()) && isGroupStop(t)) {
            // Job control from outside (kill -STOP): stays stopped as it would untraced;
            // settle() restarts it with PTRACE_LISTEN so SIGCONT still wakes it.
            t.inGroupStop = true;
            return;
        }
        t.inGroupStop = false;
        if (!t.initialStopSeen) {
            process.tracerOwned.threadStarted(t);
        }
        // Otherwise our INTERRUPT (Quiesced follows in afterStop) or the late trap of an
        // INTERRUPT whose stop was already taken by another event: nothing more to report.
    }

    private void signalStop(TracedThread t, int signal) {
        t.inGroupStop = false;
        boolean sigtrap = signal == Signal.SIGTRAP.number();
        long int3 = UNKNOWN;
        if (sigtrap && !t.lastRestart.steps() && !process.breakpoints.isEmpty()) {
            // The hot path of a breakpoint hit, without PTRACE_GETSIGINFO: a thread that was not
            // stepping and traps with its pc just past one of our int3 bytes executed it (no
            // other SIGTRAP source leaves the pc one byte past an instruction start we patched).
            int3 = pcOf(t) - 1;
            if (process.breakpoints.isInserted(int3)) {
                breakpointHit(t, int3);
                return;
            }
        }
        SigInfo info;
        try {
            info = Ptrace.sigInfo(t.tid);
        } catch (LastErrorException e) {
            return; // gone
        }
        if (sigtrap && trap(t, info, int3)) {
            return;
        }
        if (signal == Signal.SIGSEGV.number() && process.pageTraps.fault(t, info)) {
            return; // a trapped page's access, done by the tracer: the program never sees it
        }
        t.pendingSignal = signal;
        process.control.deliver(t, new ThreadEvent.SignalReceived(t.tid, info), null);
    }

    /**
     * A SIGTRAP that is ours (breakpoint, step): handled and swallowed. False: the program's own.
     * {@code int3} is pc - 1 if the caller already read the pc, else {@link #UNKNOWN}.
     */
    private boolean trap(TracedThread t, SigInfo info, long int3) {
        if (info.code() == SigInfo.SI_KERNEL) {
            long address = int3 != UNKNOWN ? int3 : pcOf(t) - 1;
            if (process.breakpoints.exists(address)) {
                breakpointHit(t, address);
                return true;
            }
            if (process.breakpoints.isPhantom(address)) {
                // Taken just before the breakpoint was removed: run the real instruction.
                Ptrace.pokeUser(t.tid, PC, address);
                return true;
            }
            return false;
        }
        if (info.code() == TRAP_HWBKPT) {
            int slots = DebugRegisters.takeHits(t.tid);
            if (slots != 0) {
                process.control.deliver(t, new ThreadEvent.WatchpointHit(t.tid, slots), null);
                if (t.lastRestart.steps()) {
                    stepDone(t); // the step ended with the access: both are reported
                }
                return true;
            }
        }
        if (t.lastRestart.steps() && (info.code() == TRAP_TRACE || info.code() == TRAP_BRKPT)) {
            stepDone(t);
            return true;
        }
        return false;
    }

    /** The thread executed our int3 at {@code address}: back to it, and its owners hear of the hit. */
    private void breakpointHit(TracedThread t, long address) {
        Ptrace.pokeUser(t.tid, PC, address);
        t.lastRestart = ResumeAction.RESUME;
        t.stoppedAtBreakpoint = address;
        process.control.deliverTo(t, new ThreadEvent.BreakpointHit(t.tid, address), process.breakpoints.owners(address));
    }

    private static long pcOf(TracedThread t) {
        return Ptrace.peekUser(t.tid, PC);
    }

    /** A step finished: the engines that asked for it hear so. */
    void stepDone(TracedThread t) {
        t.lastRestart = ResumeAction.RESUME;
        List<EngineHandle> steppers = new ArrayList<>();
        t.actions.forEach((engine, action) -> {
            if (action.steps()) {
                steppers.add(engine);
            }
        });
        // No stepper left (it detached mid-step): the trap is swallowed and the next
        // restart is a plain CONT, so the trap flag does not outlive the engine.
        if (!steppers.isEmpty()) {
            process.control.deliverTo(t, new ThreadEvent.Stepped(t.tid), steppers);
        }
    }

    private static boolean isGroupStop(TracedThread t) {
        try {
            Ptrace.sigInfo(t.tid);
            return false;
        } catch (LastErrorException e) {
            return e.getErrorCode() == Errno.EINVAL;
        }
    }

    private static long eventMessage(TracedThread t) {
        try {
            return Ptrace.eventMessage(t.tid);
        } catch (LastErrorException e) {
            return -1;
        }
    }
}
