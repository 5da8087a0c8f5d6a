package dev.quiesce.dap;

import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.values.FrameContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.CompletionsArguments;
import org.eclipse.lsp4j.debug.GotoArguments;
import org.eclipse.lsp4j.debug.GotoTargetsArguments;
import org.eclipse.lsp4j.debug.StepInTargetsArguments;

/**
 * The debug console's completions, goto targets and goto, step-in targets
 * ({@link CompletionRequests}, {@link NavigationRequests} do the work).
 */
final class NavigationHandler implements RequestHandler {
    private final Session session;

    NavigationHandler(Session session) {
        this.session = session;
    }

    private static final Precondition<Object> MODULES_READ =
            (s, args) -> s.modules.libraries() != null ? null : "the program's modules are still being read; try again";

    @Override
    public void register(Dispatcher d) {
        d.on("completions", CompletionsArguments.class, args -> session.respondOffThread(pool -> CompletionRequests.completions(
                args.getFrameId() != null ? session.variables.frame(session.readable(), args.getFrameId()) : globalsFrame(session.readable()),
                args, session.clientFeatures.columnsStartAt1(), pool)))
                .needs(Precondition.readable("complete")).refusesBadArguments("complete");
        d.on("gotoTargets", GotoTargetsArguments.class, args -> session.respondOffThread(pool ->
                CompletableFuture.supplyAsync(() -> session.navigation.gotoTargets(session.modules.current(), args), pool)))
                .needs(Precondition.program("list goto targets")).refusesBadArguments("list goto targets");
        d.on("goto", GotoArguments.class, this::jump)
                .needs(Precondition.program("goto"), (s, args) -> s.modules.libraries() != null ? null : Session.noProgram("goto"),
                        Precondition.arguments("goto needs threadId and targetId"));
        d.on("stepInTargets", StepInTargetsArguments.class, args -> session.respondOffThread(pool ->
                session.navigation.stepInTargets(session.process, session.modules.libraries(), args)))
                .needs(Precondition.program("list step-in targets"), MODULES_READ).refusesBadArguments("list step-in targets");
    }

    @Override
    public void capabilities(Capabilities c) {
        // the debug console: locals, globals, members after . and ->, registers after $ (CompletionRequests)
        c.setSupportsCompletionsRequest(true);
        c.setCompletionTriggerCharacters(new String[] {".", ">", "$"});
        // goto within the thread's function; stepIn into one chosen call of the line (NavigationRequests)
        c.setSupportsGotoTargetsRequest(true);
        c.setSupportsStepInTargetsRequest(true);
    }

    private CompletableFuture<FrameContext> globalsFrame(dev.quiesce.engine.ProgramState p) {
        List<LoadedModule> loaded = session.modules.current();
        if (loaded.isEmpty()) {
            return RequestErrors.failed("the program's modules are still being read; try again");
        }
        return CompletableFuture.completedFuture(FrameContext.globalsOnly(DeadlineMemory.of(p.memory()), loaded.get(0))
                .inProcess(loaded, java.util.OptionalLong.empty()));
    }

    private CompletableFuture<?> jump(GotoArguments args) {
        TracedProcess p = session.process;
        int tid = args.getThreadId();
        return session.respondBeforeStops(tid, () -> session.navigation.jump(p, session.modules.libraries(), tid, args.getTargetId())
                .thenRun(() -> session.processEvents.threadStopped(p, new ThreadStop(tid, StopReason.GOTO,
                        p.stopMode() == StopMode.ALL_STOP))));
    }
}
