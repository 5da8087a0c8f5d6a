package dev.quiesce.dap;

import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.LoadedSourcesArguments;
import org.eclipse.lsp4j.debug.SourceArguments;

/** Source files: loadedSources (every file the modules' line tables name) and source (a file's text, or a listing). */
final class SourceHandler implements RequestHandler {
    private final Session session;

    SourceHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("loadedSources", LoadedSourcesArguments.class, args -> session.respond(session.sources.loadedSources(session.modules.current())))
                .needs(Precondition.readable("list loaded sources"));
        d.on("source", SourceArguments.class, args -> session.respond(session.sources.source(args)));
    }

    @Override
    public void capabilities(Capabilities c) {
        // every file the loaded modules' line tables name; loadedSource events (SourceRequests)
        c.setSupportsLoadedSourcesRequest(true);
    }
}
