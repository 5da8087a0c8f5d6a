package dev.quiesce.dap;

import dev.quiesce.engine.ExitStatus;
import dev.quiesce.engine.OutputListener;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.ProcessEventArguments;
import org.eclipse.lsp4j.debug.ProcessEventArgumentsStartMethod;
import org.eclipse.lsp4j.debug.OutputEventArgumentsCategory;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArgumentsReason;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArgumentsReason;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * Turns the engine's reports into DAP events. The engine calls in on the tracer thread and on
 * the output pump threads; every event is handed to the session's single event thread, so
 * events go out in the order they happened and the tracer thread never blocks on the socket.
 */
final class ProcessEvents implements ProcessListener, OutputListener {
    /** How long the exit waits for the last output of a program whose pipes a child keeps open. */
    private static final long OUTPUT_GRACE_MILLIS = 2000;

    private final IDebugProtocolClient client;
    private final Executor events;
    private final Runnable onEnded;
    private final java.util.Map<Integer, ThreadStop> lastStops = new java.util.concurrent.ConcurrentHashMap<>();
    /** Processes ended by a restart: their exit ends nothing for the client. */
    private final java.util.Set<TracedProcess> replaced = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Runs (on the tracer thread) for every stop reported: a step of the thread ends with any other stop. */
    private volatile java.util.function.Consumer<ThreadStop> stopHook = stop -> { };

    void onStop(java.util.function.Consumer<ThreadStop> hook) {
        this.stopHook = hook;
    }

    /** Runs (on the tracer thread) when the engine holds a fork child of a process that follows forks. */
    private volatile ForkHook forkHook = (parent, child, vfork) -> { };

    interface ForkHook {
        void held(TracedProcess parent, int child, boolean vfork);
    }

    void onForkChildHeld(ForkHook hook) {
        this.forkHook = hook;
    }

    @Override
    public void forkChildHeld(TracedProcess parent, int childPid, boolean vfork) {
        forkHook.held(parent, childPid, vfork);
    }

    void replacedByRestart(TracedProcess process) {
        replaced.add(process);
    }

    ProcessEvents(IDebugProtocolClient client, Executor events, Runnable onEnded) {
        this.client = client;
        this.events = events;
        this.onEnded = onEnded;
    }

    /** The process event (call on the event thread, before the process's other events). */
    void processStarted(TracedProcess process, ProcessEventArgumentsStartMethod startMethod) {
        ProcessEventArguments event = new ProcessEventArguments();
        event.setName(process.program().toString());
        event.setSystemProcessId(process.pid());
        event.setIsLocalProcess(true);
        event.setStartMethod(startMethod);
        event.setPointerSize(64);
        client.process(event);
    }

    @Override
    public void threadStarted(TracedProcess process, int tid) {
        events.execute(() -> client.thread(threadEvent(tid, ThreadEventArgumentsReason.STARTED)));
    }

    @Override
    public void threadExited(TracedProcess process, int tid) {
        lastStops.remove(tid);
        exited.accept(tid);
        events.execute(() -> client.thread(threadEvent(tid, ThreadEventArgumentsReason.EXITED)));
    }

    @Override
    public void threadStopped(TracedProcess process, ThreadStop stop) {
        dev.quiesce.trace.StartupTrace.mark("stop " + stop.reason());
        stopStateChanged.accept(stop.tid());
        lastStops.put(stop.tid(), stop);
        StoppedEventArguments args = new StoppedEventArguments();
        args.setThreadId(stop.tid());
        args.setAllThreadsStopped(stop.allThreadsStopped());
        if (stop.reason() == StopReason.ENTRY) {
            args.setReason(StoppedEventArgumentsReason.ENTRY);
            args.setDescription(stop.detail().orElse("Stopped at the program's first instruction"));
        } else if (stop.reason() == StopReason.SYSCALL) {
            args.setReason("syscall");
            args.setDescription(stop.syscall().map(s -> SyscallStopText.of(s, process.memory())).orElse("syscall"));
        } else if (stop.reason() == StopReason.SIGNAL && stop.signal().isPresent()) {
            int signal = stop.signal().get().signal();
            args.setReason(StoppedEventArgumentsReason.EXCEPTION);
            args.setDescription(SignalDescriptions.title(signal));
            args.setText(Signal.nameOf(signal));
        } else if (stop.reason() == StopReason.BREAKPOINT) {
            args.setReason(switch (breakpointKinds.apply(stop.breakpointIds())) {
                case LINE -> StoppedEventArgumentsReason.BREAKPOINT;
                case FUNCTION -> StoppedEventArgumentsReason.FUNCTION_BREAKPOINT;
                case INSTRUCTION -> StoppedEventArgumentsReason.INSTRUCTION_BREAKPOINT;
            });
            args.setDescription("Breakpoint hit");
            args.setHitBreakpointIds(stop.breakpointIds().toArray(new Integer[0]));
        } else if (stop.reason() == StopReason.DATA_BREAKPOINT || stop.reason() == StopReason.WATCHPOINT_SCOPE) {
            args.setReason(StoppedEventArgumentsReason.DATA_BREAKPOINT);
            args.setDescription(stop.detail().orElse("Data breakpoint hit"));
            args.setHitBreakpointIds(stop.breakpointIds().toArray(new Integer[0]));
        } else if (CxxExceptionInfo.isCxx(stop)) {
            args.setReason(StoppedEventArgumentsReason.EXCEPTION);
            args.setDescription(CxxExceptionInfo.description(stop));
            stop.detail().ifPresent(args::setText);
        } else if (RustPanicInfo.isPanic(stop)) {
            args.setReason(StoppedEventArgumentsReason.EXCEPTION);
            args.setDescription(RustPanicInfo.description(stop));
            args.setText("panic");
        } else if (stop.reason() == StopReason.GOTO) {
            args.setReason(StoppedEventArgumentsReason.GOTO);
        } else if (stop.reason() == StopReason.STEP) {
            args.setReason(StoppedEventArgumentsReason.STEP);
        } else {
            args.setReason(StoppedEventArgumentsReason.PAUSE);
            args.setDescription("Paused");
        }
        stopHook.accept(stop);
        synchronized (held) {
            if (holdAll > 0 || holding.contains(stop.tid())) {
                held.add(args); // sent right after the response of the request that resumed it
                return;
            }
        }
        events.execute(() -> client.stopped(args));
    }

    /**
     * Stops of threads that a continue or step request is resuming wait for that request's
     * response: a thread can stop again before the response is written, and a client that
     * marks the thread running on the response (VS Code does) would otherwise show a stopped
     * thread as running.
     */
    private final java.util.List<StoppedEventArguments> held = new java.util.ArrayList<>();
    private final java.util.Set<Integer> holding = new java.util.HashSet<>();
    private int holdAll;

    /** Holds stop events of {@code tid} (or of every thread, for -1) until {@link #release}. */
    void hold(int tid) {
        synchronized (held) {
            if (tid < 0) {
                holdAll++;
            } else {
                holding.add(tid);
            }
        }
    }

    /** On the event thread, right after the response: sends what {@link #hold} kept back. */
    void release(int tid) {
        java.util.List<StoppedEventArguments> out = new java.util.ArrayList<>();
        synchronized (held) {
            if (tid < 0) {
                holdAll--;
            } else {
                holding.remove(tid);
            }
            java.util.Iterator<StoppedEventArguments> it = held.iterator();
            while (it.hasNext()) {
                StoppedEventArguments a = it.next();
                if (holdAll == 0 && !holding.contains(a.getThreadId())) {
                    out.add(a);
                    it.remove();
                }
            }
        }
        out.forEach(client::stopped);
    }

    /** Which kind of user breakpoint a BREAKPOINT stop's ids are (the DAP reason says it). */
    private volatile java.util.function.Function<java.util.List<Integer>, dev.quiesce.debugger.UserBreakpoint.Kind> breakpointKinds =
            ids -> dev.quiesce.debugger.UserBreakpoint.Kind.LINE;

    void breakpointKinds(java.util.function.Function<java.util.List<Integer>, dev.quiesce.debugger.UserBreakpoint.Kind> kinds) {
        this.breakpointKinds = kinds;
    }

    /** Told when a thread has exited (what was kept for it can go). */
    private volatile java.util.function.IntConsumer exited = tid -> { };

    void onThreadExited(java.util.function.IntConsumer listener) {
        this.exited = listener;
    }

    /** Told on every stop and resume of a thread (the values of its frames go stale). */
    private volatile java.util.function.IntConsumer stopStateChanged = tid -> { };

    void onStopStateChanged(java.util.function.IntConsumer listener) {
        this.stopStateChanged = listener;
    }

    @Override
    public void threadResumed(TracedProcess process, int tid) {
        stopStateChanged.accept(tid); // its frames and variables are released (no event: the request that resumed it answers)
    }

    @Override
    public void threadContinued(TracedProcess process, int tid) {
        stopStateChanged.accept(tid);
        ContinuedEventArguments args = new ContinuedEventArguments();
        args.setThreadId(tid);
        args.setAllThreadsContinued(false);
        events.execute(() -> client.continued(args));
    }

    /** The last stop reported for each thread (for exceptionInfo). */
    ThreadStop lastStop(int tid) {
        return lastStops.get(tid);
    }

    @Override
    public void signalPrinted(TracedProcess process, int tid, SigInfo info, boolean passed) {
        String line = "Thread " + tid + " received " + SignalDescriptions.title(info.signal()).replace("Signal ", "signal ")
                + (passed ? "" : "; not passed to the program") + ".\n";
        events.execute(() -> console(line));
    }

    @Override
    public void processExited(TracedProcess process, ExitStatus status) {
        if (replaced.remove(process)) {
            return; // a restart: the session goes on with the new process
        }
        // Output still in the pipes belongs before "exited": wait for end of file, briefly.
        process.outputFinished()
                .completeOnTimeout(null, OUTPUT_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                .thenRunAsync(() -> {
                    if (status.killedBySignal()) {
                        console("Program " + status.describe() + ".\n");
                    } else {
                        console("Process exited with code " + status.shellCode() + ".\n");
                    }
                    ExitedEventArguments exited = new ExitedEventArguments();
                    exited.setExitCode(status.shellCode());
                    client.exited(exited);
                    client.terminated(new TerminatedEventArguments());
                    onEnded.run();
                }, events);
    }

    @Override
    public void output(Stream stream, String text) {
        OutputEventArguments args = new OutputEventArguments();
        args.setCategory(stream == Stream.STDOUT ? OutputEventArgumentsCategory.STDOUT : OutputEventArgumentsCategory.STDERR);
        args.setOutput(text);
        events.execute(() -> client.output(args));
    }

    /** A message from Quiesce itself (category console). Call on the event thread or any thread. */
    void console(String text) {
        OutputEventArguments args = new OutputEventArguments();
        args.setCategory(OutputEventArgumentsCategory.CONSOLE);
        args.setOutput(text);
        client.output(args);
    }

    private static ThreadEventArguments threadEvent(int tid, String reason) {
        ThreadEventArguments args = new ThreadEventArguments();
        args.setThreadId(tid);
        args.setReason(reason);
        return args;
    }
}
