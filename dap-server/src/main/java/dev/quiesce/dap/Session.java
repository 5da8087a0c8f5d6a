package dev.quiesce.dap;

import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * What the request handlers of one DAP session share: the client, the program being debugged,
 * the session's pieces (events, modules, breakpoints, sources, values) and how answers leave
 * ({@link Responses}). Responses and events all leave through {@link #events}, a single thread,
 * so a response is never overtaken by an event it caused (pause, then stopped).
 *
 * <p>Threads: handlers run on LSP4J's reader thread; the lifecycle fields (the program, the
 * launch's arguments, whether it started) change under this object's monitor and are read
 * without it through the volatile {@link #process} and {@link #state}.
 */
final class Session {
    static final long KILL_TIMEOUT_SECONDS = 10;

    enum State { NEW, INITIALIZED, LAUNCHED, ENDED }

    final String name;
    /** The tracer, started on another thread while LSP4J sets up (issue 19); joined by launch and attach. */
    final Supplier<Tracer> tracer;
    final ResponseHooks hooks;
    /** Completes once the response to initialize is written (any thread may wait on it). */
    final java.util.concurrent.CompletableFuture<Void> initializeAnswered = new java.util.concurrent.CompletableFuture<>();
    final Runnable closeConnection;
    final ExecutorService events;
    /** Each request's deadline; the pool its long work runs on, off LSP4J's reader thread and the tracer's. */
    final RequestDeadlines deadlines;
    final CancelRequests cancels = new CancelRequests();
    final Responses responses;
    final ClientLoss clientLoss = new ClientLoss();
    final ClientFeatures clientFeatures = new ClientFeatures();
    final SignalSettings signalSettings = new SignalSettings();
    /** The launch/attach argument sourceMap, applied wherever a source path goes in or out. */
    final SourceMap sourceMap = new SourceMap();
    final StackTraces stackTraces = new StackTraces(sourceMap);
    final VariableRequests variables = new VariableRequests(stackTraces);
    final NavigationRequests navigation = new NavigationRequests(stackTraces);
    /** followForks: fork children offered to the client as child sessions. */
    final ChildSessions childSessions = new ChildSessions(this);

    IDebugProtocolClient client;
    ProcessEvents processEvents;
    ProgramModules modules;
    BreakpointRequests breakpointRequests;
    SourceRequests sources;

    volatile State state = State.NEW;
    volatile TracedProcess process;
    /** launch with coreFile: the core read instead of a process ({@link #process} stays null). */
    volatile CoreSession core;
    // ---- lifecycle, under this object's monitor
    LaunchArguments launchArguments;
    boolean attaching;
    /** Set when the session ends: an attach still waiting for its program (waitFor) gives up. */
    volatile boolean waitAbandoned;
    volatile CompletableFuture<Void> pendingAttach = CompletableFuture.completedFuture(null);
    boolean configurationDone;
    boolean programStarted;
    /** A program held at exec (or where it forked) whose first modules are not read yet: it must not start before. */
    boolean modulesPending;
    /** Syscall catchpoints: the launch's catchSyscalls, and the "syscall" exception filter's condition. */
    Set<Long> launchCatchpoints = Set.of();
    Set<Long> filterCatchpoints = Set.of();

    Session(Supplier<Tracer> tracer, ResponseHooks hooks, Runnable closeConnection, String name) {
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

    /** Wires the session's pieces to the client, once LSP4J has its proxy. */
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
        modules.sourceAvailable(stackTraces::sourceOnMachine); // steps skip Rust std code the client cannot open
        modules.symbolProgress(m -> clientFeatures.progressReporting()
                ? new SymbolProgress(client, events, m.name()) : dev.quiesce.symbols.PrefetchProgress.NONE);
        // A thread's step ends with any other stop of it (a breakpoint, a signal, a pause).
        this.processEvents.onStop(stop -> {
            dev.quiesce.debugger.Stepping stepping = modules.stepping();
            if (stop.reason() != dev.quiesce.engine.StopReason.STEP && stepping != null) {
                stepping.cancel(stop.tid());
            }
        });
        dev.quiesce.debugger.ExpressionConditions conditions = new dev.quiesce.debugger.ExpressionConditions(() -> modules.walker(),
                () -> modules.libraries() == null ? List.of() : modules.libraries().modules());
        breakpointRequests.breakpoints().setConditions(conditions);
        breakpointRequests.dataBreakpoints().watches().setConditions((p, tid, regs, condition) -> conditions.holds(p, regs, condition));
        breakpointRequests.breakpoints().beforeStop(tid -> {
            dev.quiesce.debugger.Stepping stepping = modules.stepping();
            if (stepping != null) {
                stepping.cancel(tid);
            }
        });
        this.processEvents.onStopStateChanged(variables::threadContinued);
        this.processEvents.onThreadExited(variables::threadExited);
        this.processEvents.onForkChildHeld(childSessions::held);
        this.processEvents.breakpointKinds(ids -> breakpointRequests.breakpoints().stopKind(ids));
    }

    boolean initialized() {
        return state != State.NEW;
    }

    /** A program is launched or attached and has not ended. */
    boolean debugging() {
        return process != null && state != State.ENDED;
    }

    /** The program's state to read: the traced process, or the core file; null when there is none. */
    dev.quiesce.engine.ProgramState readable() {
        TracedProcess p = process;
        CoreSession c = core;
        return state == State.ENDED ? null : p != null ? p : c != null ? c.target() : null;
    }

    /** Why a request that needs a running program cannot run: none was launched, or this is a core file. */
    String notRunning(String verb) {
        return core != null ? "cannot " + verb + ": " + CoreSession.NOT_RUNNING : noProgram(verb);
    }

    /** A console line from Quiesce itself (category console), in order with the other events. */
    void console(String text) {
        ProcessEvents pe = processEvents;
        if (pe != null) {
            events.execute(() -> pe.console(text));
        }
    }

    Set<Long> catchpoints() {
        Set<Long> all = new java.util.LinkedHashSet<>(launchCatchpoints);
        all.addAll(filterCatchpoints);
        return all;
    }

    // ---- answers (see Responses); called inside the handler of the request being dispatched

    <T> CompletableFuture<T> respond(CompletableFuture<T> future) {
        return responses.respond(future);
    }

    <T> CompletableFuture<T> respondWith(T value) {
        return respond(CompletableFuture.completedFuture(value));
    }

    /** The answer to a request that resumes {@code tid} (-1: all): its stops wait until the response is out. */
    <T> CompletableFuture<T> respondBeforeStops(int tid, Supplier<CompletableFuture<T>> work) {
        return responses.respondBeforeStops(processEvents, tid, work);
    }

    /** Work bound by the request's deadline, run on the session's request pool. */
    interface Work<T> {
        CompletableFuture<T> start(Executor pool);
    }

    <T> CompletableFuture<T> respondOffThread(Work<T> work) {
        RequestDeadline deadline = responses.deadline();
        return responses.respond(deadline, work.start(responses.work(deadline)));
    }

    static <T> CompletableFuture<T> failure(String message) {
        return CompletableFuture.failedFuture(RequestErrors.error(message));
    }

    static String noProgram(String verb) {
        return "cannot " + verb + ": no program is being debugged (send 'launch' first)";
    }
}
