package dev.quiesce.dap;

import dev.quiesce.debugger.StackWalker;
import dev.quiesce.engine.TracedProcess;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ModulesArguments;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.ThreadsResponse;

/** Where the program is: threads, stackTrace, and modules (the link map's list). */
final class StackHandler implements RequestHandler {
    private final Session session;

    StackHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("threads", Object.class, args -> threads());
        d.on("stackTrace", StackTraceArguments.class, this::stackTrace)
                .needs(Precondition.readable("show a stack"),
                        Precondition.arguments("stackTrace needs arguments: {\"threadId\": N}"),
                        (s, args) -> s.modules.walker() != null ? null : "the program's modules are still being read; try again");
        d.on("modules", ModulesArguments.class, args -> session.respondWith(session.modules.page(args)))
                .needs(Precondition.readable("list modules"));
    }

    @Override
    public void capabilities(Capabilities c) {
        c.setSupportsModulesRequest(true);
        // stackTrace pages with startFrame/levels and reports totalFrames
        c.setSupportsDelayedStackTraceLoading(true);
    }

    private java.util.concurrent.CompletableFuture<?> threads() {
        CoreSession core = session.core;
        if (core != null) {
            return session.respondWith(core.threads());
        }
        TracedProcess p = session.process;
        if (!session.debugging()) {
            ThreadsResponse empty = new ThreadsResponse();
            empty.setThreads(new org.eclipse.lsp4j.debug.Thread[0]);
            return session.respondWith(empty);
        }
        return session.respond(p.threads().thenApply(infos -> ThreadNames.response(p.pid(), infos)));
    }

    private java.util.concurrent.CompletableFuture<?> stackTrace(StackTraceArguments args) {
        dev.quiesce.engine.ProgramState p = session.readable();
        StackWalker walker = session.modules.walker();
        return session.respond(session.stackTraces.stackTrace(p, walker, args)
                .thenCompose(response -> session.sources.withDisassembly(p, response, session.modules.current())));
    }
}
