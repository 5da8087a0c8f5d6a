package dev.quiesce.dap;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetExpressionArguments;
import org.eclipse.lsp4j.debug.SetVariableArguments;
import org.eclipse.lsp4j.debug.VariablesArguments;

/**
 * Values: scopes, variables, evaluate, setVariable, setExpression ({@link VariableRequests} does
 * the work, on the request pool, bound by the request's deadline).
 */
final class ValueHandler implements RequestHandler {
    private final Session session;

    ValueHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("scopes", ScopesArguments.class,
                args -> session.respondOffThread(pool -> session.variables.scopes(session.readable(), args, pool)))
                .needs(Precondition.readable("list scopes")).refusesBadArguments("list scopes");
        d.on("variables", VariablesArguments.class,
                args -> session.respondOffThread(pool -> session.variables.variables(session.readable(), args, pool)))
                .needs(Precondition.readable("list variables")).refusesBadArguments("list variables");
        d.on("evaluate", EvaluateArguments.class,
                args -> session.respondOffThread(pool -> session.variables.evaluate(session.readable(), session.modules.libraries(), args, pool)))
                .needs(Precondition.readable("evaluate")).refusesBadArguments("evaluate");
        d.on("setVariable", SetVariableArguments.class,
                args -> session.respondOffThread(pool -> changed(session.variables.setVariable(session.process, args, pool))))
                .needs(Precondition.program("set a variable")).refusesBadArguments("set a variable");
        d.on("setExpression", SetExpressionArguments.class,
                args -> session.respondOffThread(pool -> changed(session.variables.setExpression(session.process, args, pool))))
                .needs(Precondition.program("set an expression")).refusesBadArguments("set an expression");
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsSetVariable(true);
        c.setSupportsSetExpression(true);
        c.setSupportsValueFormattingOptions(true);
        c.setSupportsEvaluateForHovers(true);
        c.setSupportsClipboardContext(true);
    }

    /** A value the program sees changed: the client refreshes its views (if it asked for invalidated events). */
    private <T> CompletableFuture<T> changed(CompletableFuture<T> done) {
        return done.thenApply(r -> {
            session.clientFeatures.variablesChanged(session.client, session.events);
            return r;
        });
    }
}
