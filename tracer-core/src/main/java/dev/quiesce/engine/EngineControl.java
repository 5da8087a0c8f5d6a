package dev.quiesce.engine;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What engines do to a process's threads (utrace_control and event delivery): stop, resume,
 * breakpoints, registers, detach, and handing each event to the engines that asked for it.
 * Tracer thread only; {@link EngineHandle} is the public face.
 */
final class EngineControl {
    private static final Logger LOG = Logger.getLogger(EngineControl.class.getName());

    private final ProcessCore process;

    EngineControl(ProcessCore process) {
        this.process = process;
    }

    void engineStop(EngineHandle engine, int tid) {
        TracedThread t = process.thread(tid);
        if (t.stopped()) {
            // Already stopped in the kernel (held, or its event being handled): quiesced now.
            deliver(t, new ThreadEvent.Quiesced(tid), engine);
            process.tracerOwned.settle(t);
            return;
        }
        t.quiesceWanted.add(engine);
        if (!t.interruptSent) {
            process.tracerOwned.interrupt(t);
        }
    }

    void engineStopAll(EngineHandle engine) {
        for (TracedThread t : List.copyOf(process.threads.values())) {
            if (t.live() && engine.covers(t.tid) && (t.initialStopSeen || t.running())) {
                engineStop(engine, t.tid);
            }
        }
    }

    void engineResume(EngineHandle engine, int tid, ResumeAction action) {
        TracedThread t = process.threads.get(tid);
        if (t == null || !t.alive()) {
            throw new TracerException("thread " + tid + " does not exist in process " + process.pid() + " (it may have exited)");
        }
        t.actions.put(engine, action);
        process.tracerOwned.settle(t);
    }

    void engineResumeAll(EngineHandle engine, ResumeAction action) {
        for (TracedThread t : List.copyOf(process.threads.values())) {
            if (t.alive() && engine.covers(t.tid)) {
                t.actions.put(engine, action);
                process.tracerOwned.settle(t);
            }
        }
    }

    void engineInsertBreakpoint(EngineHandle engine, long address) {
        process.breakpoints.add(engine, address);
        // A thread already stopped exactly there resumes past it (as gdb does), not into it.
        for (TracedThread t : process.threads.values()) {
            if (t.stopped() && t.stoppedAtBreakpoint < 0
                    && Ptrace.peekUser(t.tid, Registers.offset(Registers.RIP)) == address) {
                t.stoppedAtBreakpoint = address;
            }
        }
    }

    void engineRemoveBreakpoint(EngineHandle engine, long address) {
        process.breakpoints.remove(engine, address);
    }

    void engineDetach(EngineHandle engine) {
        if (!engine.attached) {
            return;
        }
        engine.attached = false;
        process.engines.remove(engine);
        if (engine.session != null) {
            engine.session.engines.remove(engine);
        }
        process.breakpoints.removeAll(engine);
        for (TracedThread t : List.copyOf(process.threads.values())) {
            t.actions.remove(engine);
            t.quiesceWanted.remove(engine);
            process.tracerOwned.settle(t);
        }
    }

    Registers registersOf(int tid) {
        TracedThread t = process.thread(tid);
        requireStopped(t);
        return Registers.read(tid);
    }

    void setRegistersOf(int tid, Registers registers) {
        TracedThread t = process.thread(tid);
        requireStopped(t);
        registers.write(tid);
        if (registers.rip() != t.stoppedAtBreakpoint) {
            t.stoppedAtBreakpoint = process.breakpoints.isInserted(registers.rip()) ? registers.rip() : -1;
        }
    }

    FpRegisters fpRegistersOf(int tid) {
        TracedThread t = process.thread(tid);
        requireStopped(t);
        return FpRegisters.read(tid);
    }

    private static void requireStopped(TracedThread t) {
        if (!t.stopped()) {
            throw new TracerException("thread " + t.tid + " is running");
        }
    }

    /**
     * Delivers an event to the process.engines that asked for it (or only to {@code only}), recording
     * each one's answer as its resume action for the thread.
     */
    void deliver(TracedThread t, ThreadEvent event, EngineHandle only) {
        boolean signal = event instanceof ThreadEvent.SignalReceived;
        if (signal) {
            t.signalHeardBy.clear();
        }
        for (EngineHandle engine : process.engines) {
            if ((only == null || only == engine) && engine.wants(event.type(), t.tid) && !routedToCall(t, event, engine)) {
                ResumeAction action = ask(engine, event);
                if (t.alive() && engine.attached) {
                    t.actions.put(engine, action);
                    if (signal) {
                        t.signalHeardBy.add(engine);
                    }
                }
            }
        }
    }

    /**
     * The signal the thread's restart delivers: its pending one, unless an engine that heard
     * it (and is still attached) decides it is not delivered ({@link Engine#delivers}). Taken:
     * nothing is pending afterwards.
     */
    int takeSignal(TracedThread t) {
        int signal = t.pendingSignal;
        t.pendingSignal = 0;
        if (signal == 0) {
            return 0;
        }
        for (EngineHandle engine : t.signalHeardBy) {
            if (engine.attached && !decidesDelivery(engine, t.tid, signal)) {
                signal = 0;
                break;
            }
        }
        t.signalHeardBy.clear();
        return signal;
    }

    private static boolean decidesDelivery(EngineHandle engine, int tid, int signal) {
        try {
            return engine.engine.delivers(tid, signal);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "engine failed deciding on signal " + signal + "; it is delivered", e);
            return true;
        }
    }

    /** Delivers to an explicit set of process.engines (breakpoint owners, steppers, quiesce waiters). */
    void deliverTo(TracedThread t, ThreadEvent event, Iterable<EngineHandle> targets) {
        if (t.call != null && t.call.handle() != null && !(event instanceof ThreadEvent.Exited)) {
            targets = List.of(t.call.handle()); // whoever owns a breakpoint hit in a callee, the call hears of it
        }
        for (EngineHandle engine : targets) {
            if (engine.attached && engine.covers(t.tid)) {
                ResumeAction action = ask(engine, event);
                if (engine.attached) {
                    t.actions.put(engine, action);
                }
            }
        }
    }

    /**
     * Whether an event of a thread that is making a function call goes to the call instead of
     * this engine: a breakpoint or signal in the callee is the call's business (it abandons
     * the call), not a stop for the client nor a hit to count. Every engine hears of an exit.
     */
    private static boolean routedToCall(TracedThread t, ThreadEvent event, EngineHandle engine) {
        return t.call != null && engine != t.call.handle() && !(event instanceof ThreadEvent.Exited);
    }

    private ResumeAction ask(EngineHandle engine, ThreadEvent event) {
        try {
            ResumeAction action = engine.engine.report(event);
            return action == null ? ResumeAction.RESUME : action;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "engine failed on " + event + "; the thread resumes", e);
            return ResumeAction.RESUME;
        }
    }

    boolean anyEngineWants(EventType type, int tid) {
        for (EngineHandle engine : process.engines) {
            if (engine.wants(type, tid)) {
                return true;
            }
        }
        return false;
    }
}
