package dev.quiesce.dap;

import dev.quiesce.engine.ThreadInfo;
import dev.quiesce.engine.TracedProcess;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.ProcessEventArgumentsStartMethod;
import org.eclipse.lsp4j.debug.RestartArguments;

/**
 * How a session gets its program: initialize, launch, attach, restart, configurationDone. The
 * program runs once it is launched and the client has finished configuring.
 */
final class LifecycleHandler implements RequestHandler {
    private static final Logger LOG = Logger.getLogger(LifecycleHandler.class.getName());

    private final Session session;
    private Dispatcher dispatcher;

    LifecycleHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        this.dispatcher = d;
        d.on("initialize", InitializeRequestArguments.class, this::initialize);
        d.on("launch", Map.class, this::launch).needs(Precondition.initialized("launch"));
        d.on("attach", Map.class, this::attach).needs(Precondition.initialized("attach"));
        d.on("restart", RestartArguments.class, this::restart);
        d.on("configurationDone", ConfigurationDoneArguments.class, this::configurationDone)
                .needs(Precondition.initialized("configurationDone"));
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsConfigurationDoneRequest(true);
        c.setSupportsRestartRequest(true);
    }

    private CompletableFuture<?> initialize(InitializeRequestArguments args) {
        if (session.state != Session.State.NEW) {
            return session.respond(Session.failure("the session is already initialized"));
        }
        session.state = Session.State.INITIALIZED;
        session.clientFeatures.initialize(args);
        session.hooks.afterResponse("initialize", () -> {
            dev.quiesce.trace.StartupTrace.mark("initialize answered");
            session.client.initialized();
            session.initializeAnswered.complete(null);
        });
        return session.respondWith(dispatcher.capabilities());
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<?> launch(Map<?, ?> raw) {
        Map<String, Object> args = (Map<String, Object>) raw;
        synchronized (session) {
            if (session.process != null || session.launchArguments != null || session.core != null) {
                return session.respond(Session.failure("this session already debugs a program; start a new session for another"));
            }
            dev.quiesce.trace.StartupTrace.mark("launch");
            try {
                java.util.Optional<CoreSession> core = CoreSession.open(args);
                if (core.isPresent()) {
                    session.sourceMap.set(args.get("sourceMap"));
                    return session.respond(coreOpened(core.get()));
                }
            } catch (IllegalArgumentException e) {
                return session.respond(Session.failure(e.getMessage()));
            }
            LaunchArguments parsed;
            try {
                parsed = LaunchArguments.parse(args, System.getenv());
                session.signalSettings.parseArgument(args.get("signals"));
                session.sourceMap.set(args.get("sourceMap"));
            } catch (IllegalArgumentException e) {
                return session.respond(Session.failure(e.getMessage()));
            }
            String noTerminal = TerminalLaunches.unsupported(parsed.terminal(), session.clientFeatures.runInTerminal());
            if (noTerminal != null) {
                return session.respond(Session.failure(noTerminal));
            }
            session.launchArguments = parsed;
            session.childSessions.inherit(args);
            // The program starts after the launch response (if configurationDone came first).
            session.hooks.afterResponse("launch", this::startIfReady);
            session.breakpointRequests.breakpoints().expectProgram(parsed.spec().program());
            dev.quiesce.trace.StartupTrace.mark("launch: program file opened");
            CompletableFuture<Void> launched = start(parsed).thenComposeAsync(p -> launched(p, parsed), session.events);
            launched.whenComplete((ok, failure) -> {
                if (failure != null) {
                    synchronized (session) {
                        session.launchArguments = null; // a failed launch may be retried with other arguments
                    }
                }
            });
            return session.respond(launched);
        }
    }

    /**
     * Kills the launched program and launches it again with the same arguments, in the same
     * session: no exited or terminated event for the old one, a process event for the new one.
     * (LSP4J types restart's arguments without our fields, so the launch's own are reused.)
     */
    private CompletableFuture<?> restart(RestartArguments args) {
        synchronized (session) {
            if (session.core != null) {
                return session.respond(Session.failure(session.notRunning("restart")));
            }
            TracedProcess old = session.process;
            LaunchArguments parsed = session.launchArguments;
            if (old == null || parsed == null) {
                return session.respond(Session.failure("restart works for a launched program; send 'launch' first (an attached one: disconnect and attach again)"));
            }
            session.processEvents.replacedByRestart(old);
            CompletableFuture<Void> done = old.kill().orTimeout(Session.KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .thenCompose(status -> start(parsed))
                    .thenComposeAsync(p -> {
                        synchronized (session) {
                            session.programStarted = false;
                        }
                        return launched(p, parsed).thenRun(this::startIfReady);
                    }, session.events);
            return session.respond(done);
        }
    }

    /** Post-mortem: the core's modules and threads are announced now, its stop after configurationDone. */
    private CompletableFuture<Void> coreOpened(CoreSession core) {
        session.core = core;
        session.state = Session.State.LAUNCHED;
        session.modules.useCore(core.target(), core.libraries());
        session.events.execute(() -> {
            core.announce(session.client);
            core.mismatch().ifPresent(session.processEvents::console);
        });
        startIfReady();
        return CompletableFuture.completedFuture(null);
    }

    private CompletableFuture<TracedProcess> start(LaunchArguments parsed) {
        return parsed.terminal() == null ? session.tracer.get().launch(parsed.spec(), session.processEvents, session.processEvents)
                : TerminalLaunches.launch(session.tracer.get(), parsed.spec(), parsed.terminal(), session.client, session.processEvents);
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<?> attach(Map<?, ?> raw) {
        Map<String, Object> args = (Map<String, Object>) raw;
        synchronized (session) {
            if (session.process != null || session.launchArguments != null || session.attaching) {
                return session.respond(Session.failure("this session already debugs a program; start a new session for another"));
            }
            AttachArguments parsed;
            try {
                parsed = AttachArguments.parse(args);
                session.signalSettings.parseArgument(args.get("signals"));
                session.sourceMap.set(args.get("sourceMap"));
            } catch (IllegalArgumentException e) {
                return session.respond(Session.failure(e.getMessage()));
            }
            session.attaching = true;
            session.childSessions.inherit(args);
            if (parsed.waitFor() != null) {
                session.breakpointRequests.breakpoints().expectProgram(parsed.waitFor());
            }
            CompletableFuture<Void> attached = parsed.fork() != null
                    ? ChildSessions.take(session.tracer.get(), parsed, session.processEvents)
                            .thenCompose(p -> CompletableFuture.supplyAsync(() -> forkChildHeld(p, parsed), session.events).thenCompose(f -> f))
                    : parsed.waitFor() != null
                    ? WaitForAttach.start(session.tracer.get(), parsed, session.processEvents, () -> session.waitAbandoned, session::console)
                            .thenCompose(c -> c.heldAtExec() ? CompletableFuture.supplyAsync(() -> caughtAtExec(c.process(), parsed), session.events).thenCompose(f -> f)
                                    : c.process().threads().thenAccept(threads -> attached(c.process(), threads, parsed)))
                    : session.tracer.get().attach(parsed.processId(), parsed.stopMode(), session.processEvents)
                    .thenCompose(p -> p.threads().thenApply(threads -> {
                        attached(p, threads, parsed);
                        return (Void) null;
                    }));
            attached.whenComplete((ok, failure) -> {
                synchronized (session) {
                    session.attaching = false;
                }
            });
            session.pendingAttach = attached;
            return session.respond(attached);
        }
    }

    private void attached(TracedProcess p, List<ThreadInfo> threads, AttachArguments parsed) {
        p.followForks(parsed.followForks());
        // The breakpoint engines' attach (a trip to the tracer) without the Session's monitor. No
        // race: p is published below only, so no request sees it half bound; a second launch or
        // attach is refused meanwhile (attaching is set); a disconnect meanwhile sees no process
        // and clientLoss.programArrived(p) below ends it, as for any program arriving after.
        session.breakpointRequests.bind(p);
        synchronized (session) {
            session.signalSettings.applyTo(p.signalPolicy());
            p.catchSyscalls(session.catchpoints());
            trackModules(p);
            session.process = p;
            session.state = Session.State.LAUNCHED;
            session.programStarted = true; // it was running before we came
        }
        session.clientLoss.programArrived(p);
        session.events.execute(() -> {
            session.processEvents.processStarted(p, ProcessEventArgumentsStartMethod.ATTACH);
            for (ThreadInfo t : threads) {
                session.processEvents.threadStarted(p, t.tid());
            }
        });
    }

    /** attach's waitFor caught the program in its exec: held there, like a launch, until configurationDone. */
    private CompletableFuture<Void> caughtAtExec(TracedProcess p, AttachArguments parsed) {
        p.followForks(parsed.followForks());
        return heldAtExec(p, java.util.Set.of(), ProcessEventArgumentsStartMethod.ATTACH).thenRun(this::startIfReady);
    }

    /**
     * A fork child offered by another session (ChildSessions), held where it forked: set up like
     * a program caught at its exec, and run at configurationDone. Its breakpoints come from the
     * client like any session's.
     */
    private CompletableFuture<Void> forkChildHeld(TracedProcess p, AttachArguments parsed) {
        return caughtAtExec(p, parsed);
    }

    private CompletableFuture<Void> launched(TracedProcess p, LaunchArguments parsed) {
        p.followForks(parsed.followForks());
        return heldAtExec(p, parsed.catchSyscalls(), ProcessEventArgumentsStartMethod.LAUNCH);
    }

    /**
     * A program held at its exec (launched, or caught by waitFor): set up before its first
     * instruction runs. Completes (on the events thread) once its first modules are read, or
     * after 30 s; the events thread is not held meanwhile.
     */
    private CompletableFuture<Void> heldAtExec(TracedProcess p, java.util.Set<Long> catchSyscalls, ProcessEventArgumentsStartMethod how) {
        CompletableFuture<?> tracked;
        // The breakpoint engines' attach (a trip to the tracer) without the Session's monitor; the
        // program is held at its exec meanwhile. No race: p is published below only; a second
        // launch is refused meanwhile (launchArguments is set); a disconnect meanwhile sees no
        // process and clientLoss.programArrived(p) below ends it, as for a launch not yet started.
        session.breakpointRequests.bind(p);
        synchronized (session) {
            session.signalSettings.applyTo(p.signalPolicy()); // before the program runs its first instruction
            session.launchCatchpoints = catchSyscalls;
            p.catchSyscalls(session.catchpoints());
            tracked = trackModules(p); // before the program runs: the dynamic linker's breakpoint goes in at exec
            session.process = p;
            session.state = Session.State.LAUNCHED;
            // A configurationDone meanwhile must not start it before its breakpoints can be placed.
            session.modulesPending = true;
        }
        session.clientLoss.programArrived(p);
        dev.quiesce.trace.StartupTrace.mark("program held at exec");
        return modulesRead(tracked).thenRunAsync(() -> {
            synchronized (session) {
                session.modulesPending = false;
            }
            dev.quiesce.trace.StartupTrace.mark("program's modules read");
            session.processEvents.processStarted(p, how);
        }, session.events);
    }

    private CompletableFuture<?> trackModules(TracedProcess p) {
        return session.modules.track(p).whenComplete((libs, failure) -> {
            if (failure != null) {
                LOG.log(Level.WARNING, "cannot track the modules of " + p.pid(), failure);
                session.console("Quiesce: cannot read the program's modules: " + RequestErrors.message(failure) + "\n");
            }
        });
    }

    /**
     * Completes when the program's first modules are read and the breakpoints set before any of
     * its code runs (launch: it is held at exec; its start waits for this), or after 30 s.
     */
    private static CompletableFuture<Void> modulesRead(CompletableFuture<?> tracked) {
        return tracked.thenApply(libs -> (Void) null).orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> {
            LOG.log(Level.WARNING, "the program's modules were not read in time", e);
            return null;
        });
    }

    private CompletableFuture<?> configurationDone(ConfigurationDoneArguments args) {
        synchronized (session) {
            session.configurationDone = true;
            dev.quiesce.trace.StartupTrace.mark("configurationDone");
            startIfReady();
            return session.respondWith((Void) null);
        }
    }

    /** The program runs once it is launched and the client has finished configuring. */
    private void startIfReady() {
        synchronized (session) {
            CoreSession core = session.core;
            if (core != null && session.configurationDone && !session.programStarted) {
                session.programStarted = true;
                session.events.execute(() -> core.stopped(session.client, session.processEvents::console));
                return;
            }
            TracedProcess process = session.process;
            LaunchArguments launch = session.launchArguments;
            if (process == null || !session.configurationDone || session.programStarted || session.modulesPending) {
                return;
            }
            session.programStarted = true;
            process.closeStdin(); // nothing feeds a DAP debuggee's stdin: reads see end of file
            dev.quiesce.symbols.solib.SharedLibraries libs = session.modules.libraries();
            if (launch == null) { // attach's waitFor: caught at its exec
                process.start();
            } else if (launch.stopOnEntry() && libs != null) {
                dev.quiesce.debugger.EntryStop.start(process, libs).whenComplete((ok, failure) -> {
                    if (failure != null) { // no breakpoint at main: stop at the first instruction instead
                        LOG.log(Level.WARNING, "cannot stop at main; stopping at the first instruction", failure);
                        process.startStopped();
                    }
                });
            } else if (launch.stopOnEntry()) {
                process.startStopped();
            } else {
                process.start();
            }
        }
    }
}
