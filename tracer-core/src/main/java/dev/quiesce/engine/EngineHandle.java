package dev.quiesce.engine;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Registers;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One engine's attachment to a process (or to one of its threads), and the controls it has
 * (utrace_control and friends). Methods may be called from any thread, including from the
 * engine's own callback on the tracer thread, where they take effect at once
 * ({@link ProcessCore#runOnTracer}); elsewhere they are queued to the tracer thread. Never
 * block on the returned futures inside a callback: use the {@code ...Now} accessors there.
 */
public final class EngineHandle {
    final ProcessCore process;
    /** The session it belongs to (detached when that session detaches); null for the tracer's own. */
    final TracedProcess session;
    final Engine engine;
    final Set<EventType> mask;
    /** 0: every thread of the process; else only this thread. */
    final int scopeTid;
    volatile boolean attached = true;

    EngineHandle(ProcessCore process, TracedProcess session, Engine engine, Set<EventType> mask, int scopeTid) {
        this.process = process;
        this.session = session;
        this.engine = engine;
        this.mask = mask.isEmpty() ? EnumSet.noneOf(EventType.class) : EnumSet.copyOf(mask);
        this.scopeTid = scopeTid;
    }

    /** The process as the session this engine belongs to sees it. */
    public TracedProcess process() {
        return session;
    }

    boolean covers(int tid) {
        return scopeTid == 0 || scopeTid == tid;
    }

    boolean wants(EventType type, int tid) {
        return attached && mask.contains(type) && covers(tid);
    }

    /** Stops the thread; a {@link ThreadEvent.Quiesced} follows (also if it was already stopped). */
    public CompletableFuture<Void> stop(int tid) {
        return process.runOnTracer(() -> process.control.engineStop(this, tid));
    }

    /** Stops every thread this engine covers. */
    public CompletableFuture<Void> stopAll() {
        return process.runOnTracer(() -> process.control.engineStopAll(this));
    }

    /** Replaces this engine's resume action for the thread (STOP holds it, RESUME releases it). */
    public CompletableFuture<Void> resume(int tid, ResumeAction action) {
        return process.runOnTracer(() -> process.control.engineResume(this, tid, action));
    }

    /** {@link #resume} for every thread this engine covers, in one trip to the tracer thread. */
    public CompletableFuture<Void> resumeAll(ResumeAction action) {
        return process.runOnTracer(() -> process.control.engineResumeAll(this, action));
    }

    public CompletableFuture<Void> insertBreakpoint(long address) {
        return process.runOnTracer(() -> process.control.engineInsertBreakpoint(this, address));
    }

    public CompletableFuture<Void> removeBreakpoint(long address) {
        return process.runOnTracer(() -> process.control.engineRemoveBreakpoint(this, address));
    }

    public CompletableFuture<Registers> registers(int tid) {
        return process.runOnTracer(() -> process.control.registersOf(tid));
    }

    /**
     * The thread's registers, read before returning: for engine callbacks (the thread is stopped
     * there). Tracer thread only; elsewhere use {@link #registers}.
     */
    public Registers registersNow(int tid) {
        process.requireTracerThread("registersNow");
        return process.control.registersOf(tid);
    }

    public CompletableFuture<Void> setRegisters(int tid, Registers registers) {
        return process.runOnTracer(() -> process.control.setRegistersOf(tid, registers));
    }

    public CompletableFuture<FpRegisters> fpRegisters(int tid) {
        return process.runOnTracer(() -> process.control.fpRegistersOf(tid));
    }

    /**
     * Completes once every callback already queued for this engine has returned (utrace_barrier).
     * Callbacks run on the tracer thread, so one trip through its queue is enough.
     */
    public CompletableFuture<Void> barrier() {
        return process.queueBehindCurrentEvent(() -> { });
    }

    /**
     * Detaches the engine: its breakpoints go, its holds and steps are dropped and every thread
     * is re-evaluated. A step only this engine wanted is not resumed as a step: the trap flag
     * does not survive the detach (the seed's utrace_reset() lesson).
     */
    public CompletableFuture<Void> detach() {
        return process.runOnTracer(() -> process.control.engineDetach(this));
    }
}
