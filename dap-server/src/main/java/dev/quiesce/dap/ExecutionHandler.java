package dev.quiesce.dap;

import dev.quiesce.debugger.StepKind;
import dev.quiesce.debugger.Stepping;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.TracedProcess;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.ContinueResponse;
import org.eclipse.lsp4j.debug.NextArguments;
import org.eclipse.lsp4j.debug.PauseArguments;
import org.eclipse.lsp4j.debug.StepInArguments;
import org.eclipse.lsp4j.debug.StepOutArguments;
import org.eclipse.lsp4j.debug.SteppingGranularity;

/**
 * Running and stopping threads: continue, pause, next, stepIn, stepOut, and the custom
 * stepSyscall (PRODUCT.md). A request that resumes threads answers before their next stop.
 */
final class ExecutionHandler implements RequestHandler {
    private final Session session;

    ExecutionHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("continue", ContinueArguments.class, this::continue_)
                .needs(Precondition.hadProgram("continue"), Precondition.arguments("continue needs arguments: {\"threadId\": N}"));
        d.on("pause", PauseArguments.class, args -> session.respond(session.process.pause(args.getThreadId())))
                .needs(Precondition.hadProgram("pause"), Precondition.arguments("pause needs arguments: {\"threadId\": N}"));
        d.on("next", NextArguments.class, a -> step("next", a.getThreadId(), StepKind.OVER, a.getGranularity(), a.getSingleThread()))
                .needs(stepping("next"));
        d.on("stepIn", StepInArguments.class, a -> a.getTargetId() != null
                        ? session.respondBeforeStops(a.getThreadId(), () -> session.navigation.stepInto(session.modules.stepping(), a.getThreadId(), a.getTargetId()))
                        : step("stepIn", a.getThreadId(), StepKind.IN, a.getGranularity(), a.getSingleThread()))
                .needs(stepping("stepIn"));
        d.on("stepOut", StepOutArguments.class, a -> step("stepOut", a.getThreadId(), StepKind.OUT, a.getGranularity(), a.getSingleThread()))
                .needs(stepping("stepOut"));
        d.on("stepSyscall", StepSyscallArguments.class,
                args -> session.respondBeforeStops(args.getThreadId(), () -> session.process.stepSyscall(args.getThreadId())))
                .needs(Precondition.hadProgram("stepSyscall"),
                        Precondition.argument(a -> a.getThreadId() != null, "stepSyscall needs {\"threadId\": N}"));
    }

    @Override
    public void capabilities(Capabilities c) {
        // continue honours singleThread in all-stop mode
        c.setSupportsSingleThreadExecutionRequests(true);
        // next/stepIn/stepOut by line or by instruction
        c.setSupportsSteppingGranularity(true);
    }

    /** A step needs a program, a thread, and the program's modules (its line tables). */
    @SuppressWarnings("unchecked")
    private static <A> Precondition<A>[] stepping(String command) {
        return new Precondition[] {
            Precondition.program(command),
            (Precondition<Object>) (s, args) -> args != null && threadIdOf(args) != null ? null : command + " needs a threadId",
            (Precondition<Object>) (s, args) -> s.modules.stepping() != null ? null : "the program's modules are still being read; try again",
        };
    }

    private static Integer threadIdOf(Object args) {
        if (args instanceof NextArguments a) {
            return a.getThreadId();
        } else if (args instanceof StepInArguments a) {
            return a.getThreadId();
        } else if (args instanceof StepOutArguments a) {
            return a.getThreadId();
        }
        return null;
    }

    /**
     * A step of one thread. Non-stop: only that thread runs. All-stop: the others run too while
     * it steps, unless singleThread (the step's stop stops them all again).
     */
    private CompletableFuture<?> step(String command, int threadId, StepKind kind, SteppingGranularity granularity, Boolean singleThread) {
        TracedProcess p = session.process;
        Stepping stepping = session.modules.stepping();
        boolean instruction = granularity == SteppingGranularity.INSTRUCTION;
        boolean all = p.stopMode() == StopMode.ALL_STOP && !Boolean.TRUE.equals(singleThread);
        return session.respondBeforeStops(all ? -1 : threadId, () -> {
            CompletableFuture<Void> started = stepping.step(threadId, kind, instruction);
            return all ? started.thenCompose(x -> p.resumeAll()) : started;
        });
    }

    private CompletableFuture<?> continue_(ContinueArguments args) {
        TracedProcess p = session.process;
        boolean justThisThread = p.stopMode() == StopMode.NON_STOP || Boolean.TRUE.equals(args.getSingleThread());
        return session.respondBeforeStops(justThisThread ? args.getThreadId() : -1, () -> p.isStopped(args.getThreadId()) // checks that the thread exists
                .thenCompose(stopped -> justThisThread ? p.resume(args.getThreadId()) : p.resumeAll())
                .thenApply(ignored -> {
                    ContinueResponse response = new ContinueResponse();
                    response.setAllThreadsContinued(!justThisThread);
                    return response;
                }));
    }
}
