package dev.quiesce.dap;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.DataBreakpointInfoArguments;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;

/**
 * Data breakpoints (watchpoints): dataBreakpointInfo (for a variable of a scope, an expression
 * in a frame, or an address with asAddress and bytes) and setDataBreakpoints
 * ({@link DataBreakpointRequests} does the work). Off the reader thread: values are read and
 * the tracer writes every thread's debug registers.
 */
final class DataBreakpointHandler implements RequestHandler {
    private final Session session;

    DataBreakpointHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("dataBreakpointInfo", DataBreakpointInfoArguments.class,
                args -> session.respondOffThread(pool -> session.breakpointRequests.dataBreakpoints().info(session.process, session.variables, args, pool)))
                .needs(Precondition.initialized("dataBreakpointInfo"), Precondition.arguments("dataBreakpointInfo needs arguments: {\"name\": ...}"))
                .refusesBadArguments("dataBreakpointInfo");
        d.on("setDataBreakpoints", SetDataBreakpointsArguments.class,
                args -> session.respondOffThread(pool -> CompletableFuture.supplyAsync(() -> session.breakpointRequests.dataBreakpoints().set(args), pool)))
                .needs(Precondition.initialized("setDataBreakpoints"), Precondition.arguments("setDataBreakpoints needs arguments: {\"breakpoints\": [...]}"))
                .refusesBadArguments("setDataBreakpoints");
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsDataBreakpoints(true);
        c.setSupportsDataBreakpointBytes(true); // asAddress with bytes
    }
}
