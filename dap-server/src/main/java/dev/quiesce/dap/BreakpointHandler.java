package dev.quiesce.dap;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetInstructionBreakpointsArguments;

/**
 * Line, function and instruction breakpoints and breakpointLocations ({@link BreakpointRequests}
 * does the work). Off the reader thread: resolving may read symbols and waits for the tracer to
 * plant int3s. Breakpoints may be set before the program exists (they are pending until then).
 */
final class BreakpointHandler implements RequestHandler {
    private final Session session;

    BreakpointHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        add(d, "setBreakpoints", SetBreakpointsArguments.class, args -> {
            dev.quiesce.trace.StartupTrace.mark("setBreakpoints");
            return session.breakpointRequests.setBreakpoints(args);
        });
        add(d, "setFunctionBreakpoints", SetFunctionBreakpointsArguments.class, args -> session.breakpointRequests.setFunctionBreakpoints(args));
        add(d, "setInstructionBreakpoints", SetInstructionBreakpointsArguments.class, args -> session.breakpointRequests.setInstructionBreakpoints(args));
        add(d, "breakpointLocations", BreakpointLocationsArguments.class, args -> session.breakpointRequests.breakpointLocations(args));
    }

    private <A> void add(Dispatcher d, String command, Class<A> type, Function<A, ?> work) {
        d.on(command, type, args -> {
            CompletableFuture<?> answer = session.respondOffThread(pool -> CompletableFuture.supplyAsync(() -> work.apply(args), pool));
            return command.equals("setBreakpoints")
                    ? answer.whenComplete((r, f) -> dev.quiesce.trace.StartupTrace.mark("setBreakpoints answered")) : answer;
        }).needs(Precondition.initialized(command), Precondition.arguments(command + " needs arguments"));
    }

    @Override
    public void capabilities(Capabilities c) {
        // line, function and instruction breakpoints (pending in libraries not loaded yet), hit counts
        c.setSupportsFunctionBreakpoints(true);
        c.setSupportsInstructionBreakpoints(true);
        c.setSupportsBreakpointLocationsRequest(true);
        c.setSupportsHitConditionalBreakpoints(true);
        // conditions and logpoints ({expressions}) through the C expression evaluator
        c.setSupportsConditionalBreakpoints(true);
        c.setSupportsLogPoints(true);
    }
}
