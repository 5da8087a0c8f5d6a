package dev.quiesce.dap;

import org.eclipse.lsp4j.jsonrpc.Endpoint;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;
import org.eclipse.lsp4j.jsonrpc.debug.DebugRemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;
import org.eclipse.lsp4j.jsonrpc.json.StreamMessageConsumer;

/**
 * LSP4J's debug launcher with Quiesce's message parser ({@link DapMessageParser}) and the
 * session's {@link Dispatcher} as the local endpoint (LSP4J would wrap any local service in its
 * reflective endpoint; the dispatcher is one already).
 */
final class DapLauncher<T> extends DebugLauncher.Builder<T> {
    private MessageJsonHandler json;

    @Override
    protected MessageJsonHandler createJsonHandler() {
        json = new DapMessageParser(getSupportedMethods());
        return json;
    }

    /** The JSON handler the launcher made (after {@code create()}). */
    MessageJsonHandler json() {
        return json;
    }

    @Override
    protected RemoteEndpoint createRemoteEndpoint(MessageJsonHandler jsonHandler) {
        if (localServices.size() != 1 || !(localServices.iterator().next() instanceof Endpoint local)) {
            return super.createRemoteEndpoint(jsonHandler);
        }
        MessageConsumer outgoing = wrapMessageConsumer(new StreamMessageConsumer(output, jsonHandler));
        RemoteEndpoint remote = exceptionHandler == null
                ? new DebugRemoteEndpoint(outgoing, local)
                : new DebugRemoteEndpoint(outgoing, local, exceptionHandler);
        jsonHandler.setMethodProvider(remote);
        remote.setJsonHandler(jsonHandler);
        return remote;
    }
}
