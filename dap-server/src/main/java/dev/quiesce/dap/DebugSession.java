package dev.quiesce.dap;

import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.ThreadInfo;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import dev.quiesce.engine.SignalPolicy;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.BreakpointLocationsResponse;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetInstructionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetInstructionBreakpointsResponse;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;
import org.eclipse.lsp4j.debug.DisassembleArguments;
import org.eclipse.lsp4j.debug.DisassembleResponse;
import org.eclipse.lsp4j.debug.ModulesArguments;
import org.eclipse.lsp4j.debug.ModulesResponse;
import org.eclipse.lsp4j.debug.ReadMemoryArguments;
import org.eclipse.lsp4j.debug.ReadMemoryResponse;
import org.eclipse.lsp4j.debug.RestartArguments;
import org.eclipse.lsp4j.debug.WriteMemoryArguments;
import org.eclipse.lsp4j.debug.WriteMemoryResponse;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoArguments;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetExceptionBreakpointsResponse;
import org.eclipse.lsp4j.jsonrpc.services.JsonRequest;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.ContinueResponse;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.PauseArguments;
import org.eclipse.lsp4j.debug.ProcessEventArgumentsStartMethod;
import org.eclipse.lsp4j.debug.TerminateArguments;
import org.eclipse.lsp4j.debug.ThreadsResponse;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * One DAP client's session: the requests it sends, the program it debugs. Requests arrive one
 * at a time on LSP4J's reader thread; responses and events all leave through {@link #events}, a
 * single thread, so a response is never overtaken by an event it caused (pause, then stopped).
 */
public final class DebugSession extends UnsupportedRequests {
    private static final Logger LOG = Logger.getLogger(DebugSession.class.getName());
    private static final long KILL_TIMEOUT_SECONDS = 10;

    private enum State { NEW, INITIALIZED, LAUNCHED, ENDED }

    /** The tracer, started on another thread while LSP4J sets up (issue 19); joined by launch and attach. */
    private final java.util.function.Supplier<Tracer> tracer;
    private final ResponseHooks hooks;
    private final Runnable closeConnection;
    private final ExecutorService events;
    private IDebugProtocolClient client;
    private ProcessEvents processEvents;
    private ProgramModules modules;
    private BreakpointRequests breakpointRequests;
    private SourceRequests sources;
    /** The launch/attach argument sourceMap, applied wherever a source path goes in or out. */
    private final SourceMap sourceMap = new SourceMap();
    private final StackTraces stackTraces = new StackTraces(sourceMap);
    private final VariableRequests variables = new VariableRequests(stackTraces);
    private final CancelRequests cancels = new CancelRequests();
    private final NavigationRequests navigation = new NavigationRequests(stackTraces);
    private final ClientFeatures clientFeatures = new ClientFeatures();

    private volatile State state = State.NEW;
    private volatile TracedProcess process;
    private LaunchArguments launchArguments;
    private boolean attaching;
    /** Set when the session ends: an attach still waiting for its program (waitFor) gives up. */
    private volatile boolean waitAbandoned;
    private volatile CompletableFuture<Void> pendingAttach = CompletableFuture.completedFuture(null);
    private final SignalSettings signalSettings = new SignalSettings();
    /** Syscall catchpoints: the launch's catchSyscalls, and the "syscall" exception filter's condition. */
    private Set<Long> launchCatchpoints = Set.of();
    private Set<Long> filterCatchpoints = Set.of();
    private boolean configurationDone;
    private boolean programStarted;

    private final String name;
    /** Each request's deadline; the pool its long work runs on, off LSP4J's reader thread and the tracer's. */
    private final RequestDeadlines deadlines;
    private final Responses responses;
    private final ClientLoss clientLoss = new ClientLoss();

    DebugSession(java.util.function.Supplier<Tracer> tracer, ResponseHooks hooks, Runnable closeConnection, String name) {
        this.name = name;
        this.tracer = tracer;
        this.hooks = hooks;
        this.closeConnection = closeConnection;
        this.deadlines = new RequestDeadlines(name);
        this.events = Executors.newSingleThreadExecutor(r -> {
            java.lang.Thread t = new java.lang.Thread(r, "quiesce-events-" + name);
            t.setDaemon(true);
            return t;
        });
        this.responses = new Responses(hooks, events, cancels, deadlines);
    }

    /** A console line from Quiesce itself (category console), in order with the other events. */
    void console(String text) {
        ProcessEvents pe = processEvents;
        if (pe != null) {
            events.execute(() -> pe.console(text));
        }
    }

    void connect(IDebugProtocolClient client) {
        this.client = client;
        this.processEvents = new ProcessEvents(client, events, () -> state = State.ENDED);
        this.breakpointRequests = new BreakpointRequests(client, events, () -> modules.current(), sourceMap);
        this.sources = new SourceRequests(client, events, name, sourceMap);
        variables.libraries(() -> modules == null ? null : modules.libraries());
        this.modules = new ProgramModules(client, events, name, now -> {
            breakpointRequests.modulesChanged(now);
            sources.modulesChanged(now);
        });
        modules.symbolProgress(m -> clientFeatures.progressReporting()
                ? new SymbolProgress(client, events, m.name()) : dev.quiesce.symbols.PrefetchProgress.NONE);
        // A thread's step ends with any other stop of it (a breakpoint, a signal, a pause).
        this.processEvents.onStop(stop -> {
            dev.quiesce.debugger.Stepping stepping = modules.stepping();
            if (stop.reason() != dev.quiesce.engine.StopReason.STEP && stepping != null) {
                stepping.cancel(stop.tid());
            }
        });
        breakpointRequests.breakpoints().setConditions(new dev.quiesce.debugger.ExpressionConditions(() -> modules.walker(),
                () -> modules.libraries() == null ? List.of() : modules.libraries().modules()));
        breakpointRequests.breakpoints().beforeStop(tid -> {
            dev.quiesce.debugger.Stepping stepping = modules.stepping();
            if (stepping != null) {
                stepping.cancel(tid);
            }
        });
        this.processEvents.onStopStateChanged(variables::threadContinued);
    }

    /** The answer to the request being dispatched; see {@link Responses}. */
    private <T> CompletableFuture<T> respond(CompletableFuture<T> future) {
        return responses.respond(future);
    }

    private <T> CompletableFuture<T> respondBeforeStops(int tid, java.util.function.Supplier<CompletableFuture<T>> work) {
        return responses.respondBeforeStops(processEvents, tid, work);
    }

    private <T> CompletableFuture<T> respondWith(T value) {
        return respond(CompletableFuture.completedFuture(value));
    }

    @Override
    public CompletableFuture<Capabilities> initialize(InitializeRequestArguments args) {
        if (state != State.NEW) {
            return respond(CompletableFuture.failedFuture(RequestErrors.error("the session is already initialized")));
        }
        state = State.INITIALIZED;
        clientFeatures.initialize(args);
        hooks.afterResponse("initialize", () -> {
            dev.quiesce.trace.StartupTrace.mark("initialize answered");
            client.initialized();
        });
        return respondWith(ServerCapabilities.current());
    }

    @Override
    public synchronized CompletableFuture<Void> launch(Map<String, Object> args) {
        if (state == State.NEW) {
            return respond(failure("send 'initialize' before 'launch'"));
        }
        if (process != null || launchArguments != null) {
            return respond(failure("this session already debugs a program; start a new session for another"));
        }
        dev.quiesce.trace.StartupTrace.mark("launch");
        LaunchArguments parsed;
        try {
            parsed = LaunchArguments.parse(args, System.getenv());
            signalSettings.parseArgument(args.get("signals"));
            sourceMap.set(args.get("sourceMap"));
        } catch (IllegalArgumentException e) {
            return respond(failure(e.getMessage()));
        }
        String noTerminal = TerminalLaunches.unsupported(parsed.terminal(), clientFeatures.runInTerminal());
        if (noTerminal != null) {
            return respond(failure(noTerminal));
        }
        launchArguments = parsed;
        breakpointRequests.breakpoints().expectProgram(parsed.spec().program());
        // The program starts after the launch response (if configurationDone came first).
        hooks.afterResponse("launch", this::startIfReady);
        CompletableFuture<Void> launched = start(parsed).thenAcceptAsync(p -> launched(p, parsed), events);
        launched.whenComplete((ok, failure) -> {
            if (failure != null) {
                synchronized (this) {
                    launchArguments = null; // a failed launch may be retried with other arguments
                }
            }
        });
        return respond(launched);
    }

    /**
     * Kills the launched program and launches it again with the same arguments, in the same
     * session: no exited or terminated event for the old one, a process event for the new one.
     * (LSP4J types restart's arguments without our fields, so the launch's own are reused.)
     */
    @Override
    public synchronized CompletableFuture<Void> restart(RestartArguments args) {
        TracedProcess old = process;
        LaunchArguments parsed = launchArguments;
        if (old == null || parsed == null) {
            return respond(failure("restart works for a launched program; send 'launch' first (an attached one: disconnect and attach again)"));
        }
        processEvents.replacedByRestart(old);
        CompletableFuture<Void> done = old.kill().orTimeout(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .thenCompose(status -> start(parsed))
                .thenAcceptAsync(p -> {
                    synchronized (this) {
                        programStarted = false;
                    }
                    launched(p, parsed);
                    startIfReady();
                }, events);
        return respond(done);
    }

    private CompletableFuture<TracedProcess> start(LaunchArguments parsed) {
        return parsed.terminal() == null ? tracer.get().launch(parsed.spec(), processEvents, processEvents)
                : TerminalLaunches.launch(tracer.get(), parsed.spec(), parsed.terminal(), client, processEvents);
    }

    @Override
    public synchronized CompletableFuture<Void> attach(Map<String, Object> args) {
        if (state == State.NEW) {
            return respond(failure("send 'initialize' before 'attach'"));
        }
        if (process != null || launchArguments != null || attaching) {
            return respond(failure("this session already debugs a program; start a new session for another"));
        }
        AttachArguments parsed;
        try {
            parsed = AttachArguments.parse(args);
            signalSettings.parseArgument(args.get("signals"));
            sourceMap.set(args.get("sourceMap"));
        } catch (IllegalArgumentException e) {
            return respond(failure(e.getMessage()));
        }
        attaching = true;
        if (parsed.waitFor() != null) {
            breakpointRequests.breakpoints().expectProgram(parsed.waitFor());
        }
        CompletableFuture<Void> attached = parsed.waitFor() != null
                ? WaitForAttach.start(tracer.get(), parsed, processEvents, () -> waitAbandoned, this::console)
                        .thenAcceptAsync(p -> caughtAtExec(p, parsed), events)
                : tracer.get().attach(parsed.processId(), parsed.stopMode(), processEvents)
                .thenCompose(p -> p.threads().thenApply(threads -> {
                    attached(p, threads, parsed);
                    return (Void) null;
                }));
        attached.whenComplete((ok, failure) -> {
            synchronized (this) {
                attaching = false;
            }
        });
        pendingAttach = attached;
        return respond(attached);
    }

    private void attached(TracedProcess p, List<ThreadInfo> threads, AttachArguments parsed) {
        synchronized (this) {
            signalSettings.applyTo(p.signalPolicy());
            p.catchSyscalls(catchpoints());
            breakpointRequests.bind(p);
            trackModules(p);
            process = p;
            state = State.LAUNCHED;
            programStarted = true; // it was running before we came
        }
        clientLoss.programArrived(p);
        events.execute(() -> {
            processEvents.processStarted(p, ProcessEventArgumentsStartMethod.ATTACH);
            for (ThreadInfo t : threads) {
                processEvents.threadStarted(p, t.tid());
            }
            for (String argument : parsed.notYetSupported()) {
                processEvents.console("Quiesce: the attach argument \"" + argument
                        + "\" is not implemented yet and has no effect.\n");
            }
        });
    }

    /** attach's waitFor caught the program in its exec: held there, like a launch, until configurationDone. */
    private void caughtAtExec(TracedProcess p, AttachArguments parsed) {
        CompletableFuture<?> tracked;
        synchronized (this) {
            signalSettings.applyTo(p.signalPolicy());
            p.catchSyscalls(catchpoints());
            breakpointRequests.breakpoints().bind(p);
            tracked = trackModules(p);
            process = p;
            state = State.LAUNCHED;
        }
        clientLoss.programArrived(p);
        awaitModules(tracked);
        processEvents.processStarted(p, ProcessEventArgumentsStartMethod.ATTACH);
        startIfReady();
    }

    private void launched(TracedProcess p, LaunchArguments parsed) {
        CompletableFuture<?> tracked;
        synchronized (this) {
            signalSettings.applyTo(p.signalPolicy()); // before the program runs its first instruction
            launchCatchpoints = parsed.catchSyscalls();
            p.catchSyscalls(catchpoints());
            breakpointRequests.bind(p);
            tracked = trackModules(p); // before the program runs: the dynamic linker's breakpoint goes in at exec
            process = p;
            state = State.LAUNCHED;
        }
        clientLoss.programArrived(p);
        dev.quiesce.trace.StartupTrace.mark("program held at exec");
        awaitModules(tracked);
        dev.quiesce.trace.StartupTrace.mark("program's modules read");
        processEvents.processStarted(p, ProcessEventArgumentsStartMethod.LAUNCH);
        for (String argument : parsed.notYetSupported()) {
            processEvents.console("Quiesce: the launch argument \"" + argument
                    + "\" is not implemented yet and has no effect.\n");
        }
    }

    private CompletableFuture<?> trackModules(TracedProcess p) {
        return modules.track(p).whenComplete((libs, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "cannot track the modules of " + p.pid(), failure);
                console("Quiesce: cannot read the program's modules: " + RequestErrors.message(failure) + "\n");
            }
        });
    }

    /**
     * Waits until the program's first modules are read and the breakpoints set before any of
     * its code runs (launch: it is held at exec; its start waits for this).
     */
    private static void awaitModules(CompletableFuture<?> tracked) {
        try {
            tracked.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.log(Level.WARNING, "the program's modules were not read in time", e);
        }
    }

    @Override
    public synchronized CompletableFuture<Void> configurationDone(ConfigurationDoneArguments args) {
        if (state == State.NEW) {
            return respond(failure("send 'initialize' before 'configurationDone'"));
        }
        configurationDone = true;
        dev.quiesce.trace.StartupTrace.mark("configurationDone");
        startIfReady();
        return respondWith((Void) null);
    }

    /** The program runs once it is launched and the client has finished configuring. */
    private synchronized void startIfReady() {
        if (process == null || !configurationDone || programStarted) {
            return;
        }
        programStarted = true;
        process.closeStdin(); // nothing feeds a DAP debuggee's stdin: reads see end of file
        dev.quiesce.symbols.solib.SharedLibraries libs = modules.libraries();
        if (launchArguments == null) { // attach's waitFor: caught at its exec
            process.start();
        } else if (launchArguments.stopOnEntry() && libs != null) {
            TracedProcess p = process;
            dev.quiesce.debugger.EntryStop.start(p, libs).whenComplete((ok, failure) -> {
                if (failure != null) { // no breakpoint at main: stop at the first instruction instead
                    LOG.log(Level.WARNING, "cannot stop at main; stopping at the first instruction", failure);
                    p.startStopped();
                }
            });
        } else if (launchArguments.stopOnEntry()) {
            process.startStopped();
        } else {
            process.start();
        }
    }

    @Override
    public synchronized CompletableFuture<SetExceptionBreakpointsResponse> setExceptionBreakpoints(SetExceptionBreakpointsArguments args) {
        if (args == null) {
            return respond(failure("setExceptionBreakpoints needs arguments: {\"filters\": [...]}"));
        }
        ExceptionFilters filters;
        try {
            filters = ExceptionFilters.parse(args);
            signalSettings.setFilter(filters.signal(), filters.signalCondition());
        } catch (IllegalArgumentException e) {
            return respond(failure(e.getMessage()));
        }
        filterCatchpoints = filters.syscalls();
        breakpointRequests.cxxExceptions().setFilter(filters.cxx());
        if (process != null) {
            signalSettings.applyTo(process.signalPolicy());
            process.catchSyscalls(catchpoints());
        }
        return respondWith(new SetExceptionBreakpointsResponse());
    }

    private Set<Long> catchpoints() {
        Set<Long> all = new java.util.LinkedHashSet<>(launchCatchpoints);
        all.addAll(filterCatchpoints);
        return all;
    }

    /** Custom request (PRODUCT.md): run one stopped thread to its next syscall entry or exit. */
    @JsonRequest("stepSyscall")
    public CompletableFuture<Void> stepSyscall(StepSyscallArguments args) {
        TracedProcess p = process;
        if (p == null) {
            return respond(failure(noProgram("stepSyscall")));
        }
        if (args == null || args.getThreadId() == null) {
            return respond(failure("stepSyscall needs {\"threadId\": N}"));
        }
        return respondBeforeStops(args.getThreadId(), () -> p.stepSyscall(args.getThreadId()));
    }

    /** Custom request (PRODUCT.md): change one signal's policy at run time. */
    @JsonRequest("signalPolicy")
    public synchronized CompletableFuture<Map<String, Object>> signalPolicy(SignalPolicyArguments args) {
        if (args == null || args.getSignal() == null) {
            return respond(failure("signalPolicy needs \"signal\" (e.g. \"SIGUSR1\") and any of stop, print, pass"));
        }
        int signal;
        try {
            signal = SignalSettings.signal(args.getSignal());
        } catch (IllegalArgumentException e) {
            return respond(failure(e.getMessage()));
        }
        Map<String, Object> change = new java.util.HashMap<>();
        if (args.getStop() != null) {
            change.put("stop", args.getStop());
        }
        if (args.getPrint() != null) {
            change.put("print", args.getPrint());
        }
        if (args.getPass() != null) {
            change.put("pass", args.getPass());
        }
        signalSettings.parseArgument(Map.of(Signal.nameOf(signal), change));
        if (process != null) {
            signalSettings.applyTo(process.signalPolicy());
        }
        SignalPolicy.Handling now = process != null ? process.signalPolicy().of(signal) : null;
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("signal", Signal.nameOf(signal));
        if (now != null) {
            body.put("stop", now.stop());
            body.put("print", now.print());
            body.put("pass", now.pass());
        }
        return respondWith(body);
    }

    @Override
    public CompletableFuture<ExceptionInfoResponse> exceptionInfo(ExceptionInfoArguments args) {
        TracedProcess p = process;
        if (p == null || args == null) {
            return respond(failure(noProgram("get exception info")));
        }
        int tid = args.getThreadId();
        return respond(p.isStopped(tid).thenApply(stopped -> {
            ThreadStop stop = processEvents.lastStop(tid);
            if (!stopped) {
                throw RequestErrors.error("thread " + tid + " is running");
            }
            if (stop != null && CxxExceptionInfo.isCxx(stop)) {
                return CxxExceptionInfo.response(stop, breakpointRequests.cxxExceptions().lastStop(tid));
            }
            if (stop == null || stop.signal().isEmpty()) {
                throw RequestErrors.error("thread " + tid + " did not stop for a signal");
            }
            SigInfo info = stop.signal().get();
            ExceptionInfoResponse response = new ExceptionInfoResponse();
            response.setExceptionId(Signal.nameOf(info.signal()));
            response.setDescription(SignalDescriptions.title(info.signal()) + ": " + SignalDescriptions.details(info));
            response.setBreakMode(ExceptionBreakMode.ALWAYS);
            ExceptionDetails details = new ExceptionDetails();
            details.setMessage(SignalDescriptions.details(info));
            details.setTypeName("signal");
            details.setFullTypeName(Signal.nameOf(info.signal()));
            response.setDetails(details);
            return response;
        }));
    }

    @Override
    public CompletableFuture<ReadMemoryResponse> readMemory(ReadMemoryArguments args) {
        return memoryRequest("readMemory", () -> MemoryRequests.read(process, args));
    }

    @Override
    public CompletableFuture<WriteMemoryResponse> writeMemory(WriteMemoryArguments args) {
        return memoryRequest("writeMemory", () -> MemoryRequests.write(process, args).thenApply(response -> {
            clientFeatures.memoryWritten(client, events, MemoryRequests.address(args.getMemoryReference(),
                    args.getOffset() == null ? null : args.getOffset().longValue()), response.getBytesWritten());
            return response;
        }));
    }

    @Override
    public CompletableFuture<DisassembleResponse> disassemble(DisassembleArguments args) {
        return memoryRequest("disassemble", () -> MemoryRequests.disassemble(process, args, modules.current(), sourceMap));
    }

    private <T> CompletableFuture<T> memoryRequest(String command, java.util.function.Supplier<CompletableFuture<T>> request) {
        if (process == null || state == State.ENDED) {
            return respond(failure(noProgram(command)));
        }
        try {
            return respond(request.get());
        } catch (IllegalArgumentException | NullPointerException e) {
            return respond(failure(command + ": " + (e instanceof NullPointerException || e.getMessage() == null ? "missing arguments" : e.getMessage())));
        }
    }

    @Override
    public CompletableFuture<SetBreakpointsResponse> setBreakpoints(SetBreakpointsArguments args) {
        dev.quiesce.trace.StartupTrace.mark("setBreakpoints");
        return breakpointRequest("setBreakpoints", args, () -> breakpointRequests.setBreakpoints(args))
                .whenComplete((r, f) -> dev.quiesce.trace.StartupTrace.mark("setBreakpoints answered"));
    }

    @Override
    public CompletableFuture<SetFunctionBreakpointsResponse> setFunctionBreakpoints(SetFunctionBreakpointsArguments args) {
        return breakpointRequest("setFunctionBreakpoints", args, () -> breakpointRequests.setFunctionBreakpoints(args));
    }

    @Override
    public CompletableFuture<SetInstructionBreakpointsResponse> setInstructionBreakpoints(SetInstructionBreakpointsArguments args) {
        return breakpointRequest("setInstructionBreakpoints", args, () -> breakpointRequests.setInstructionBreakpoints(args));
    }

    @Override
    public CompletableFuture<BreakpointLocationsResponse> breakpointLocations(BreakpointLocationsArguments args) {
        return breakpointRequest("breakpointLocations", args, () -> breakpointRequests.breakpointLocations(args));
    }

    private <T> CompletableFuture<T> breakpointRequest(String command, Object args, java.util.function.Supplier<T> handler) {
        if (state == State.NEW) {
            return respond(failure("send 'initialize' before '" + command + "'"));
        }
        if (args == null) {
            return respond(failure(command + " needs arguments"));
        }
        // Off the reader thread: resolving may read symbols and waits for the tracer to plant int3s.
        RequestDeadline deadline = responses.deadline();
        return responses.respond(deadline, CompletableFuture.supplyAsync(handler, responses.work(deadline)));
    }

    @Override
    public CompletableFuture<Void> next(NextArguments args) {
        return step("next", args == null ? null : args.getThreadId(), dev.quiesce.debugger.StepKind.OVER,
                args == null ? null : args.getGranularity(), args == null ? null : args.getSingleThread());
    }

    @Override
    public CompletableFuture<Void> stepIn(StepInArguments args) {
        if (args != null && args.getTargetId() != null && process != null && modules.stepping() != null) {
            return respondBeforeStops(args.getThreadId(), () -> navigation.stepInto(modules.stepping(), args.getThreadId(), args.getTargetId()));
        }
        return step("stepIn", args == null ? null : args.getThreadId(), dev.quiesce.debugger.StepKind.IN,
                args == null ? null : args.getGranularity(), args == null ? null : args.getSingleThread());
    }

    @Override
    public CompletableFuture<Void> stepOut(StepOutArguments args) {
        return step("stepOut", args == null ? null : args.getThreadId(), dev.quiesce.debugger.StepKind.OUT,
                args == null ? null : args.getGranularity(), args == null ? null : args.getSingleThread());
    }

    /**
     * A step of one thread. Non-stop: only that thread runs. All-stop: the others run too while
     * it steps, unless singleThread (the step's stop stops them all again).
     */
    private CompletableFuture<Void> step(String command, Integer threadId, dev.quiesce.debugger.StepKind kind,
                                         org.eclipse.lsp4j.debug.SteppingGranularity granularity, Boolean singleThread) {
        TracedProcess p = process;
        if (p == null || state == State.ENDED) {
            return respond(failure(noProgram(command)));
        }
        if (threadId == null) {
            return respond(failure(command + " needs a threadId"));
        }
        dev.quiesce.debugger.Stepping stepping = modules.stepping();
        if (stepping == null) {
            return respond(failure("the program's modules are still being read; try again"));
        }
        boolean instruction = granularity == org.eclipse.lsp4j.debug.SteppingGranularity.INSTRUCTION;
        boolean all = p.stopMode() == dev.quiesce.engine.StopMode.ALL_STOP && !Boolean.TRUE.equals(singleThread);
        return respondBeforeStops(all ? -1 : threadId, () -> {
            CompletableFuture<Void> started = stepping.step(threadId, kind, instruction);
            return all ? started.thenCompose(x -> p.resumeAll()) : started;
        });
    }

    @Override
    public CompletableFuture<StackTraceResponse> stackTrace(StackTraceArguments args) {
        TracedProcess p = process;
        if (p == null || state == State.ENDED) {
            return respond(failure(noProgram("show a stack")));
        }
        if (args == null) {
            return respond(failure("stackTrace needs arguments: {\"threadId\": N}"));
        }
        dev.quiesce.debugger.StackWalker walker = modules.walker();
        if (walker == null) {
            return respond(failure("the program's modules are still being read; try again"));
        }
        return respond(stackTraces.stackTrace(p, walker, args)
                .thenCompose(response -> sources.withDisassembly(p, response, modules.current())));
    }

    /** The program, its dynamic linker and its shared libraries, as the link map lists them. */
    @Override
    public CompletableFuture<ModulesResponse> modules(ModulesArguments args) {
        TracedProcess p = process;
        if (p == null || state == State.ENDED) {
            return respond(failure(noProgram("list modules")));
        }
        return respondWith(modules.page(args));
    }

    @Override
    public CompletableFuture<ThreadsResponse> threads() {
        TracedProcess p = process;
        if (p == null || state == State.ENDED) {
            ThreadsResponse empty = new ThreadsResponse();
            empty.setThreads(new org.eclipse.lsp4j.debug.Thread[0]);
            return respondWith(empty);
        }
        return respond(p.threads().thenApply(infos -> ThreadNames.response(p.pid(), infos)));
    }

    @Override
    public CompletableFuture<Void> pause(PauseArguments args) {
        TracedProcess p = process;
        if (p == null) {
            return respond(failure(noProgram("pause")));
        }
        if (args == null) {
            return respond(failure("pause needs arguments: {\"threadId\": N}"));
        }
        return respond(p.pause(args.getThreadId()));
    }

    @Override
    public CompletableFuture<ContinueResponse> continue_(ContinueArguments args) {
        TracedProcess p = process;
        if (p == null) {
            return respond(failure(noProgram("continue")));
        }
        if (args == null) {
            return respond(failure("continue needs arguments: {\"threadId\": N}"));
        }
        boolean justThisThread = p.stopMode() == StopMode.NON_STOP || Boolean.TRUE.equals(args.getSingleThread());
        return respondBeforeStops(justThisThread ? args.getThreadId() : -1, () -> p.isStopped(args.getThreadId()) // checks that the thread exists
                .thenCompose(stopped -> justThisThread ? p.resume(args.getThreadId()) : p.resumeAll())
                .thenApply(ignored -> {
                    ContinueResponse response = new ContinueResponse();
                    response.setAllThreadsContinued(!justThisThread);
                    return response;
                }));
    }

    @Override
    public CompletableFuture<Void> terminate(TerminateArguments args) {
        TracedProcess p = process;
        if (p == null || state == State.ENDED) {
            return respond(failure("there is no running program to terminate"));
        }
        return respond(p.terminate());
    }

    /**
     * Ends the session. A launched program is killed unless {@code terminateDebuggee: false};
     * an attached one is detached (left running as if never traced) unless {@code terminateDebuggee: true}.
     */
    @Override
    public CompletableFuture<Void> disconnect(DisconnectArguments args) {
        waitAbandoned = true;
        TracedProcess p = process;
        // An attach still waiting for its program (waitFor) is answered before the connection closes.
        CompletableFuture<Void> done = pendingAttach.handle((ok, failure) -> null);
        if (p != null && state != State.ENDED) {
            Boolean asked = args == null ? null : args.getTerminateDebuggee();
            boolean terminate = asked != null ? asked : p.launched();
            done = terminate
                    ? p.kill().orTimeout(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(status -> null)
                    : p.detach().orTimeout(KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // Done with the process: the connection's close that follows must not kill it.
            done = done.thenRun(() -> state = State.ENDED);
        }
        hooks.afterResponse("disconnect", closeConnection);
        return respond(done);
    }

    /**
     * The connection is over (after disconnect, or the client went away without it): a launched
     * program is killed, an attached one detached, waiting at most {@link #KILL_TIMEOUT_SECONDS}.
     * Takes no lock a request holds, and stops every request's work first, so neither a stuck
     * request nor a busy events thread can keep the session from ending.
     */
    void connectionClosed() {
        waitAbandoned = true;
        clientLoss.markGone();
        deadlines.close();
        TracedProcess p = process;
        clientLoss.clientGone(p != null && state != State.ENDED ? p : null, KILL_TIMEOUT_SECONDS);
        modules.close();
        sources.close();
        events.shutdown();
    }

    // ---- values: scopes, variables, evaluate, setVariable, setExpression (VariableRequests)

    /** A value request: its work runs on {@code work}, bound by the request's deadline. */
    private interface ValueWork<T> {
        CompletableFuture<T> start(TracedProcess p, java.util.concurrent.Executor work);
    }

    private <T> CompletableFuture<T> valuesRequest(String what, ValueWork<T> request) {
        TracedProcess p = process;
        if (p == null || state == State.ENDED) {
            return respond(failure(noProgram(what)));
        }
        RequestDeadline deadline = responses.deadline();
        try {
            return responses.respond(deadline, request.start(p, responses.work(deadline)));
        } catch (IllegalArgumentException | NullPointerException e) {
            return respond(failure(what + ": " + (e instanceof NullPointerException || e.getMessage() == null ? "missing arguments" : e.getMessage())));
        }
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.ScopesResponse> scopes(org.eclipse.lsp4j.debug.ScopesArguments args) {
        return valuesRequest("list scopes", (p, work) -> variables.scopes(p, args, work));
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.VariablesResponse> variables(org.eclipse.lsp4j.debug.VariablesArguments args) {
        return valuesRequest("list variables", (p, work) -> variables.variables(p, args, work));
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.EvaluateResponse> evaluate(org.eclipse.lsp4j.debug.EvaluateArguments args) {
        return valuesRequest("evaluate", (p, work) -> variables.evaluate(p, modules.libraries(), args, work));
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.SetVariableResponse> setVariable(org.eclipse.lsp4j.debug.SetVariableArguments args) {
        return valuesRequest("set a variable", (p, work) -> variables.setVariable(p, args, work).thenApply(r -> {
            clientFeatures.variablesChanged(client, events);
            return r;
        }));
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.SetExpressionResponse> setExpression(org.eclipse.lsp4j.debug.SetExpressionArguments args) {
        return valuesRequest("set an expression", (p, work) -> variables.setExpression(p, args, work).thenApply(r -> {
            clientFeatures.variablesChanged(client, events);
            return r;
        }));
    }

    // ---- completions, goto, step-in targets (CompletionRequests, NavigationRequests)

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.CompletionsResponse> completions(org.eclipse.lsp4j.debug.CompletionsArguments args) {
        return valuesRequest("complete", (p, work) -> CompletionRequests.completions(args.getFrameId() != null
                ? variables.frame(p, args.getFrameId()) : globalsFrame(p), args, clientFeatures.columnsStartAt1(), work));
    }

    private CompletableFuture<dev.quiesce.values.FrameContext> globalsFrame(TracedProcess p) {
        List<dev.quiesce.symbols.LoadedModule> loaded = modules.current();
        if (loaded.isEmpty()) {
            return RequestErrors.failed("the program's modules are still being read; try again");
        }
        return CompletableFuture.completedFuture(dev.quiesce.values.FrameContext.globalsOnly(DeadlineMemory.of(p.memory()), loaded.get(0))
                .inProcess(loaded, java.util.OptionalLong.empty()));
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.GotoTargetsResponse> gotoTargets(org.eclipse.lsp4j.debug.GotoTargetsArguments args) {
        return valuesRequest("list goto targets", (p, work) -> CompletableFuture.supplyAsync(() -> navigation.gotoTargets(modules.current(), args), work));
    }

    @Override
    public CompletableFuture<Void> goto_(org.eclipse.lsp4j.debug.GotoArguments args) {
        TracedProcess p = process;
        if (p == null || state == State.ENDED || modules.libraries() == null) {
            return respond(failure(noProgram("goto")));
        }
        if (args == null) {
            return respond(failure("goto needs threadId and targetId"));
        }
        int tid = args.getThreadId();
        return respondBeforeStops(tid, () -> navigation.jump(p, modules.libraries(), tid, args.getTargetId())
                .thenRun(() -> processEvents.threadStopped(p, new ThreadStop(tid, dev.quiesce.engine.StopReason.GOTO,
                        p.stopMode() == StopMode.ALL_STOP))));
    }

    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.StepInTargetsResponse> stepInTargets(org.eclipse.lsp4j.debug.StepInTargetsArguments args) {
        return valuesRequest("list step-in targets", (p, work) -> modules.libraries() == null
                ? RequestErrors.failed("the program's modules are still being read; try again")
                : navigation.stepInTargets(p, modules.libraries(), args));
    }

    /** Every source file of the loaded modules' line tables. */
    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.LoadedSourcesResponse> loadedSources(org.eclipse.lsp4j.debug.LoadedSourcesArguments args) {
        if (process == null || state == State.ENDED) {
            return respond(failure(noProgram("list loaded sources")));
        }
        return respond(sources.loadedSources(modules.current()));
    }

    /** A file's text by path, or a listing we handed out by sourceReference. */
    @Override
    public CompletableFuture<org.eclipse.lsp4j.debug.SourceResponse> source(org.eclipse.lsp4j.debug.SourceArguments args) {
        return respond(sources.source(args));
    }

    /** Cancels a request that has not answered yet; an unknown or finished one leaves nothing to do. */
    @Override
    public CompletableFuture<Void> cancel(org.eclipse.lsp4j.debug.CancelArguments args) {
        if (args != null && args.getRequestId() != null) {
            cancels.cancel(args.getRequestId(), events);
        }
        return respondWith((Void) null);
    }

    private static <T> CompletableFuture<T> failure(String message) {
        return CompletableFuture.failedFuture(RequestErrors.error(message));
    }

    private static String noProgram(String command) {
        return "cannot " + command + ": no program is being debugged (send 'launch' first)";
    }
}
