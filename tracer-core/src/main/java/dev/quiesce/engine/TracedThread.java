package dev.quiesce.engine;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Everything the tracer knows about one kernel thread, one field per fact (in the manner of
 * gdbserver's lwp_info). The kernel's view ({@link #kernel}) is kept apart from what engines
 * want ({@link #actions}): a thread may be stopped in the kernel while every engine wants it
 * running (held by {@link #suspendCount}, or its event still being handled).
 * Touched only on the tracer thread.
 */
final class TracedThread {
    final int tid;
    final ProcessCore process;

    /** What the kernel says. */
    KernelState kernel = KernelState.RUNNING;
    /** PTRACE_INTERRUPT was sent and no stop has been seen since. */
    boolean interruptSent;
    /** The first stop of a new thread (PTRACE_EVENT_STOP after clone) has been seen. */
    boolean initialStopSeen;
    /** Internal holds: the thread must not run (another thread steps over a breakpoint, a detach). */
    int suspendCount;
    /** The signal the thread stopped with, for the next restart (0: none); whether it is delivered is the engines' decision. */
    int pendingSignal;
    /** The engines that heard {@link #pendingSignal} (SignalReceived): each decides whether it is delivered. */
    final Set<EngineHandle> signalHeardBy = new LinkedHashSet<>();
    /** How the thread was last restarted: a step trap is expected iff this steps. */
    ResumeAction lastRestart = ResumeAction.RESUME;
    /** Each engine's current resume action for this thread; absent means RESUME. */
    final Map<EngineHandle, ResumeAction> actions = new LinkedHashMap<>();
    /** Engines that asked this thread to stop and wait for its Quiesced event. */
    final Set<EngineHandle> quiesceWanted = new LinkedHashSet<>();
    /** Reported PTRACE_EVENT_EXIT: once restarted it only exits. */
    boolean exiting;
    /** In a group-stop (job control from outside): restarted with PTRACE_LISTEN, not CONT. */
    boolean inGroupStop;
    /** Between a syscall-entry stop and its exit stop. */
    boolean inSyscall;
    /** Stopped by seccomp at a syscall's entry: the syscall-entry stop that may follow is the same syscall. */
    boolean atSeccompEntry;
    /** Its current stop is a ptrace event inside a syscall (fork, clone, exec, vfork-done...): no syscall may be injected there. */
    boolean atKernelEvent;
    /** Its current stop is a syscall-entry stop (no syscall may be injected there). */
    boolean atSyscallEntry;
    /** Single-stepping a faulting instruction with its page unprotected ({@link PageStep}). */
    boolean pageStepping;
    /** Its SIGSEGV now is the program's own (a page step re-faulted under the program's protection). */
    boolean programFault;
    /** The number of the syscall it entered last (for its exit stop), -1 if none seen. */
    long syscallNumber = -1;
    /**
     * The breakpoint address this thread stopped at after its hit was reported (pc rewound to
     * it), or was stopped at when the breakpoint went in; -1: none. Resuming from there must
     * step over the int3. A thread merely interrupted at that address has not executed the int3
     * yet: it must run into it and report the hit, not step over it.
     */
    long stoppedAtBreakpoint = -1;
    /** This thread is single-stepping over the breakpoint at its pc (see {@link StepOver}). */
    boolean steppingOver;
    /**
     * The function call this thread makes for an expression, from its preparation to its end:
     * while set, its restarts follow the call alone and its events go to the call alone.
     */
    ThreadCall call;
    /** The {@link DebugRegisters} generation written into this thread (0: none ever). */
    int debugRegisters;

    TracedThread(int tid, ProcessCore process) {
        this.tid = tid;
        this.process = process;
    }

    boolean running() {
        return kernel == KernelState.RUNNING;
    }

    boolean stopped() {
        return kernel == KernelState.STOPPED;
    }

    boolean alive() {
        return kernel != KernelState.EXITED;
    }

    /** Alive and able to stop: neither reaped nor past its exit stop. */
    boolean live() {
        return kernel == KernelState.RUNNING || kernel == KernelState.STOPPED;
    }

    /** The merged resume action of every engine: the smallest wins. */
    ResumeAction mergedAction() {
        ResumeAction merged = ResumeAction.RESUME;
        for (ResumeAction a : actions.values()) {
            merged = merged.merge(a);
        }
        return merged;
    }

    /** {@link #toString()} and where it stands at a breakpoint, for {@link ProcessCore#describeState()}. */
    String describe() {
        return this + (stoppedAtBreakpoint >= 0 ? String.format(" at bp 0x%x", stoppedAtBreakpoint) : "")
                + (steppingOver ? " stepping-over" : "");
    }

    @Override
    public String toString() {
        return "thread " + tid + " [" + kernel + (interruptSent ? ", interrupt sent" : "")
                + (suspendCount > 0 ? ", suspended " + suspendCount : "") + ", wants " + mergedAction() + "]";
    }
}
