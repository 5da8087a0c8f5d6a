package dev.quiesce.dap;

import dev.quiesce.engine.TracedProcess;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.TerminateArguments;

/** How a session lets go of its program: terminate, disconnect. */
final class EndHandler implements RequestHandler {
    private final Session session;

    EndHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("terminate", TerminateArguments.class, this::terminate)
                .needs((s, args) -> s.debugging() ? null : s.core != null ? s.notRunning("terminate")
                        : "there is no running program to terminate");
        d.on("disconnect", DisconnectArguments.class, this::disconnect);
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsTerminateRequest(true);
        // disconnect honours terminateDebuggee: kill, or detach leaving no trace
        c.setSupportTerminateDebuggee(true);
    }

    private CompletableFuture<?> terminate(TerminateArguments args) {
        return session.respond(session.process.terminate());
    }

    /**
     * Ends the session. A launched program is killed unless {@code terminateDebuggee: false};
     * an attached one is detached (left running as if never traced) unless {@code terminateDebuggee: true}.
     */
    private CompletableFuture<?> disconnect(DisconnectArguments args) {
        session.waitAbandoned = true;
        TracedProcess p = session.process;
        // An attach still waiting for its program (waitFor) is answered before the connection closes.
        CompletableFuture<Void> done = session.pendingAttach.handle((ok, failure) -> null);
        if (p != null && session.state != Session.State.ENDED) {
            Boolean asked = args == null ? null : args.getTerminateDebuggee();
            boolean terminate = asked != null ? asked : p.launched();
            done = terminate
                    ? p.kill().orTimeout(Session.KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS).thenApply(status -> null)
                    : p.detach().orTimeout(Session.KILL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // Done with the process: the connection's close that follows must not kill it.
            done = done.thenRun(() -> session.state = Session.State.ENDED);
        }
        session.hooks.afterResponse("disconnect", session.closeConnection);
        return session.respond(done);
    }
}
