package dev.quiesce.dap;

import org.eclipse.lsp4j.debug.CancelArguments;
import org.eclipse.lsp4j.debug.Capabilities;

/** cancel: a request that has not answered yet answers "cancelled"; an unknown or finished one leaves nothing to do. */
final class CancelHandler implements RequestHandler {
    private final Session session;

    CancelHandler(Session session) {
        this.session = session;
    }

    @Override
    public void register(Dispatcher d) {
        d.on("cancel", CancelArguments.class, args -> {
            if (args != null && args.getRequestId() != null) {
                session.cancels.cancel(args.getRequestId(), session.events);
            }
            return session.respondWith((Void) null);
        });
    }

    @Override
    public void capabilities(Capabilities c) {
        // cancel answers a request still pending with success:false, "cancelled" (CancelRequests)
        c.setSupportsCancelRequest(true);
        // (invalidated/memory events are the client's capabilities: ClientFeatures honours them)
    }
}
