package dev.quiesce.debugger;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The step requests of one process: at most one step plan per thread. Starting a step releases
 * the thread the client had stopped (only it: other threads stay as they are); the plan reports
 * the stop (reason step) when it is done. A breakpoint, a signal stop or a pause of the thread
 * cancels its plan.
 */
public final class Stepping {
    private final TracedProcess process;
    private final SharedLibraries libraries;
    private final StackWalker walker;
    private final Map<Integer, StepPlan> plans = new ConcurrentHashMap<>();
    private volatile RustStdCode std = new RustStdCode(Stepping::onThisMachine);

    public Stepping(TracedProcess process, SharedLibraries libraries, StackWalker walker) {
        this.process = process;
        this.libraries = libraries;
        this.walker = walker;
    }

    /** Steps a thread the client sees stopped; fails (and nothing runs) if it is running. */
    public CompletableFuture<Void> step(int tid, StepKind kind, boolean instructionGranularity) {
        return start(tid, new StepPlan(process, libraries, walker, std, tid, kind, instructionGranularity, () -> plans.remove(tid)));
    }

    /**
     * Steps into the call at {@code callAddress} on the thread's line (a step-in target, see
     * {@link CallsOnLine}): the line's other calls are stepped over; the step stops in the
     * callee's body, or (a callee without line information) where a step in would.
     */
    public CompletableFuture<Void> stepInto(int tid, long callAddress) {
        return start(tid, new StepPlan(process, libraries, walker, std, tid, StepKind.IN, false, () -> plans.remove(tid)).onlyInto(callAddress));
    }

    /**
     * Tells which source files the client can open (the DAP server's, through its sourceMap):
     * a step does not enter Rust std code whose file is not one of them.
     */
    public void sourceAvailable(java.util.function.Predicate<String> available) {
        this.std = new RustStdCode(available);
    }

    private static boolean onThisMachine(String path) {
        try {
            java.nio.file.Path p = java.nio.file.Path.of(path);
            return p.isAbsolute() && java.nio.file.Files.isRegularFile(p);
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    public SharedLibraries libraries() {
        return libraries;
    }

    /**
     * One trip to the tracer thread: check the thread is stopped, attach the plan, plan its first
     * move; nothing else can run the thread in between. The client's hold on it is lifted by a
     * resume queued behind that work.
     */
    private CompletableFuture<Void> start(int tid, StepPlan plan) {
        return process.runOnTracer(() -> {
            if (!process.stoppedNow(tid)) {
                throw new IllegalArgumentException("thread " + tid + " is running: pause it before stepping");
            }
            EngineHandle handle = process.attachNow(plan, EnumSet.of(EventType.BREAKPOINT, EventType.STEP, EventType.EXIT), tid);
            try {
                StepPlan old = plans.put(tid, plan);
                if (old != null) {
                    old.end();
                }
                ResumeAction first = plan.begin(handle, handle.registersNow(tid));
                handle.resume(tid, first);
            } catch (RuntimeException e) {
                plan.end();
                throw e;
            }
            return process.resume(tid);
        }).thenCompose(resumed -> resumed);
    }

    /**
     * Ends a thread's step without a stop. Called from any thread, including another engine's
     * callback reporting the thread's stop: the end is queued behind that callback (so the
     * detach's re-evaluation of the thread sees the hold the callback is about to answer) and
     * ahead of the client's next command for the thread.
     */
    public void cancel(int tid) {
        StepPlan plan = plans.get(tid);
        if (plan != null) {
            process.queueBehindCurrentEvent(plan::end);
        }
    }
}
