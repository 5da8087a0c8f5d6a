package dev.quiesce.dap;

import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import java.util.function.Supplier;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * One DAP client's session: its {@link Session} state and the {@link Dispatcher} that routes its
 * requests to the handler of each request family. Adding a request: ARCHITECTURE.md.
 */
public final class DebugSession {
    private final Session session;
    private final Dispatcher dispatcher;

    DebugSession(Supplier<Tracer> tracer, ResponseHooks hooks, Runnable closeConnection, String name) {
        this.session = new Session(tracer, hooks, closeConnection, name);
        this.dispatcher = new Dispatcher(session)
                .add(new LifecycleHandler(session))
                .add(new EndHandler(session))
                .add(new ExecutionHandler(session))
                .add(new BreakpointHandler(session))
                .add(new DataBreakpointHandler(session))
                .add(new SignalHandler(session))
                .add(new StackHandler(session))
                .add(new SourceHandler(session))
                .add(new ValueHandler(session))
                .add(new MemoryHandler(session))
                .add(new NavigationHandler(session))
                .add(new CancelHandler(session));
    }

    /** LSP4J's local endpoint for this session. */
    Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Completes once initialize has been answered. */
    java.util.concurrent.CompletableFuture<Void> initializeAnswered() {
        return session.initializeAnswered;
    }

    /** Warms the Variables view's page describing (see {@link VariableRequests#warmUp}). */
    void warmUpValues() {
        session.variables.warmUp();
    }

    void connect(IDebugProtocolClient client) {
        session.connect(client);
    }

    /** A console line from Quiesce itself (category console), in order with the other events. */
    void console(String text) {
        session.console(text);
    }

    /**
     * The connection is over (after disconnect, or the client went away without it): a launched
     * program is killed, an attached one detached, waiting at most {@link Session#KILL_TIMEOUT_SECONDS}.
     * Takes no lock a request holds, and stops every request's work first, so neither a stuck
     * request nor a busy events thread can keep the session from ending.
     */
    void connectionClosed() {
        session.waitAbandoned = true;
        CoreSession core = session.core;
        if (core != null) {
            core.close();
        }
        session.clientLoss.markGone();
        session.deadlines.close();
        TracedProcess p = session.process;
        session.clientLoss.clientGone(session.debugging() ? p : null, Session.KILL_TIMEOUT_SECONDS);
        session.modules.close();
        session.sources.close();
        session.events.shutdown();
    }
}
