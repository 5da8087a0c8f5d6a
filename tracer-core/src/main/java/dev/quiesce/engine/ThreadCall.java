package dev.quiesce.engine;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Registers;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call of a function in the program by one thread the client sees stopped (gdb's inferior
 * call), as an engine on that thread alone. {@link #prepare} saves every register and takes the
 * thread over: from then until the call ends, the thread's restarts follow this call only (the
 * client's hold and other engines' answers do not apply) and its events come only here, so a
 * breakpoint or signal inside the callee is not reported to the client as a stop. The caller
 * writes the callee's stack and passes the registers to start it with ({@link #run}); the
 * thread runs alone (non-stop: the others keep running; all-stop: they stay stopped) until
 * it executes the int3 at the return address. A breakpoint, a signal or the timeout abandons
 * the call. Either way every register is restored before the outcome is delivered.
 *
 * <p>Threads: the public methods may be called from any thread but the tracer's (they hop to
 * it); every field is touched on the tracer thread only, after construction.
 */
public final class ThreadCall implements Engine {
    private static final Set<EventType> EVENTS = EnumSet.of(EventType.BREAKPOINT, EventType.SIGNAL,
            EventType.QUIESCE, EventType.EXIT);
    /** The direction flag (EFLAGS bit 10): the ABI wants it clear at every call. */
    private static final long DIRECTION_FLAG = 0x400;

    private enum State { PREPARED, RUNNING, ENDED }

    private final TracedProcess session;
    private final ProcessCore process;
    private final TracedThread thread;
    private final Registers saved;
    private final FpRegisters savedFp;
    private final long savedStoppedAtBreakpoint;
    private final int savedPendingSignal;
    /** Who decides on that signal: a signal inside the callee must not replace them. */
    private final java.util.Set<EngineHandle> savedSignalHeardBy;
    private final CompletableFuture<CallOutcome> outcome = new CompletableFuture<>();
    private State state = State.PREPARED;
    private EngineHandle handle;
    private long returnAddress;
    /** The stack pointer after the callee's {@code ret}: tells our return from a recursive pass through the same address. */
    private long returnSp;
    private boolean timedOut;

    private ThreadCall(TracedProcess session, TracedThread thread) {
        this.session = session;
        this.process = session.core;
        this.thread = thread;
        this.saved = Registers.read(thread.tid);
        this.savedFp = FpRegisters.read(thread.tid);
        this.savedStoppedAtBreakpoint = thread.stoppedAtBreakpoint;
        this.savedPendingSignal = thread.pendingSignal;
        this.savedSignalHeardBy = java.util.Set.copyOf(thread.signalHeardBy);
    }

    /**
     * Takes over a thread the client sees stopped, saving its registers; fails with the reason
     * when a call cannot be made there now.
     */
    public static CompletableFuture<ThreadCall> prepare(TracedProcess process, int tid) {
        return process.tracer().submit(() -> {
            TracedThread t = process.core.thread(tid);
            String refusal = refusal(process, t);
            if (refusal != null) {
                throw new TracerException("cannot call a function in thread " + tid + ": " + refusal);
            }
            ThreadCall call = new ThreadCall(process, t);
            t.call = call;
            return call;
        });
    }

    private static String refusal(TracedProcess process, TracedThread t) {
        if (!process.isReportedStopped(t.tid) || !t.stopped()) {
            return "it is running (pause it first)";
        }
        if (t.call != null) {
            return "it is already running a called function";
        }
        if (t.exiting) {
            return "it is exiting";
        }
        if (t.inGroupStop) {
            return "it is in a group-stop (stopped by SIGSTOP from outside); continue it first";
        }
        if (t.inSyscall || t.atSeccompEntry) {
            // At a syscall-entry stop the kernel would still run (or skip) the syscall with the
            // callee's registers, and the restored ones could not make it happen again.
            return "it is stopped at a syscall entry; step to the syscall's exit first";
        }
        if (t.steppingOver) {
            return "it is stepping over a breakpoint";
        }
        return null;
    }

    /** The thread's registers when it was taken over (what every outcome restores). */
    public Registers savedRegisters() {
        return saved;
    }

    public FpRegisters savedFpRegisters() {
        return savedFp;
    }

    /**
     * Starts the callee: {@code start} holds rip (the function), rsp (the return address pushed),
     * the argument registers; {@code fp} the XMM arguments (null: unchanged). The outcome comes
     * when the thread hits the int3 at {@code returnAddress} with rsp one word above the pushed
     * return address, or when the call is abandoned ({@code timeout} included).
     */
    public CompletableFuture<CallOutcome> run(Registers start, FpRegisters fp, long returnAddress, Duration timeout) {
        process.tracer().run(() -> begin(start, fp, returnAddress)).whenComplete((ok, failure) -> {
            if (failure != null) {
                outcome.completeExceptionally(failure);
            }
        });
        CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> process.tracer().run(this::timeUp));
        return outcome;
    }

    /** Gives the thread back without running anything (building the call failed). */
    public CompletableFuture<Void> cancel() {
        return process.tracer().run(() -> {
            if (state == State.PREPARED) {
                end(null);
            }
        });
    }

    /** The resume action of a thread this call owns (see {@link TracerOwnedState#settle}). */
    ResumeAction action() {
        return state == State.RUNNING ? ResumeAction.RESUME : ResumeAction.STOP;
    }

    EngineHandle handle() {
        return handle;
    }

    private void begin(Registers start, FpRegisters fp, long returnAddress) {
        if (state != State.PREPARED) {
            throw new TracerException("this call was already made");
        }
        Registers regs = start
                // orig_rax -1: the kernel must not take the stop we leave as an interrupted
                // syscall and restart it into the callee (rip - 2, rax = orig_rax); restoring
                // the saved orig_rax afterwards lets the real restart happen as it would have.
                .with(Registers.ORIG_RAX, -1)
                .with(Registers.EFLAGS, start.eflags() & ~(Registers.TRAP_FLAG | DIRECTION_FLAG));
        regs.write(thread.tid);
        if (fp != null) {
            fp.write(thread.tid);
        }
        this.returnAddress = returnAddress;
        this.returnSp = regs.rsp() + 8;
        handle = session.attachInternal(this, EVENTS, thread.tid);
        process.control.engineInsertBreakpoint(handle, returnAddress);
        thread.pendingSignal = 0; // the signal it was stopped at is not delivered into the callee
        thread.stoppedAtBreakpoint = -1; // run into a breakpoint at the callee's first instruction
        state = State.RUNNING;
        process.tracerOwned.settle(thread);
    }

    private void timeUp() {
        if (state == State.RUNNING && thread.live()) {
            timedOut = true;
            process.control.engineStop(handle, thread.tid); // a Quiesced follows
        }
    }

    @Override
    public ResumeAction report(ThreadEvent event) {
        if (state != State.RUNNING) {
            return ResumeAction.RESUME;
        }
        if (event instanceof ThreadEvent.Exited) {
            state = State.ENDED;
            outcome.complete(new CallOutcome.Abandoned(CallOutcome.Why.EXITED, 0, 0));
            return ResumeAction.RESUME;
        }
        long pc = Registers.read(thread.tid).rip();
        if (event instanceof ThreadEvent.BreakpointHit hit) {
            Registers now = Registers.read(thread.tid);
            if (hit.address() == returnAddress && now.rsp() == returnSp) {
                end(new CallOutcome.Returned(now, FpRegisters.read(thread.tid)));
            } else {
                end(new CallOutcome.Abandoned(CallOutcome.Why.BREAKPOINT, hit.address(), 0));
            }
        } else if (event instanceof ThreadEvent.SignalReceived s) {
            thread.pendingSignal = 0; // abandoned with the call, as gdb's unwindonsignal does
            end(new CallOutcome.Abandoned(CallOutcome.Why.SIGNAL, pc, s.info().signal()));
        } else if (event instanceof ThreadEvent.Quiesced && timedOut) {
            end(new CallOutcome.Abandoned(CallOutcome.Why.TIMEOUT, pc, 0));
        } else {
            return ResumeAction.RESUME;
        }
        return ResumeAction.STOP;
    }

    /** Restores the thread as it was taken over and gives it back to its other engines. */
    private void end(CallOutcome result) {
        state = State.ENDED;
        try {
            saved.write(thread.tid);
            savedFp.write(thread.tid);
        } finally {
            thread.stoppedAtBreakpoint = savedStoppedAtBreakpoint;
            thread.pendingSignal = savedPendingSignal;
            thread.signalHeardBy.clear();
            thread.signalHeardBy.addAll(savedSignalHeardBy);
            thread.lastRestart = ResumeAction.RESUME;
            thread.call = null;
            if (handle != null) {
                process.control.engineDetach(handle); // the return breakpoint goes; the client's hold applies again
            } else {
                process.tracerOwned.settle(thread);
            }
        }
        if (result != null) {
            outcome.complete(result);
        }
    }
}
