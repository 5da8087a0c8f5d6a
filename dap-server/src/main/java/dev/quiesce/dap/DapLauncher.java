package dev.quiesce.dap;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.Endpoint;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;
import org.eclipse.lsp4j.jsonrpc.RemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;
import org.eclipse.lsp4j.jsonrpc.debug.DebugRemoteEndpoint;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethodProvider;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;

/**
 * LSP4J's debug launcher with Quiesce's message parser ({@link DapMessageParser}) and the
 * session's {@link Dispatcher} as the local endpoint (LSP4J would wrap any local service in its
 * reflective endpoint; the dispatcher is one already). The methods the parser knows come from
 * {@link DapMethods}' tables, not from LSP4J's reflection over the DAP interfaces. Messages
 * go out through {@link WireWriter}.
 */
final class DapLauncher<T> extends DebugLauncher.Builder<T> {
    private MessageJsonHandler json;

    @Override
    protected MessageJsonHandler createJsonHandler() {
        json = new DapMessageParser(getSupportedMethods());
        return json;
    }

    @Override
    protected Map<String, JsonRpcMethod> getSupportedMethods() {
        boolean dapClient = remoteInterfaces.size() == 1 && remoteInterfaces.contains(IDebugProtocolClient.class);
        if (!dapClient || localServices.size() != 1
                || !(localServices.iterator().next() instanceof JsonRpcMethodProvider local)) {
            return super.getSupportedMethods();
        }
        Map<String, JsonRpcMethod> methods = new LinkedHashMap<>(DapMethods.CLIENT);
        methods.putAll(local.supportedMethods());
        return methods;
    }

    /** The DAP client as {@link DapClient}, not LSP4J's reflective proxy. */
    @Override
    @SuppressWarnings("unchecked")
    protected T createProxy(RemoteEndpoint remoteEndpoint) {
        if (remoteInterfaces.size() == 1 && remoteInterfaces.contains(IDebugProtocolClient.class)) {
            return (T) new DapClient(remoteEndpoint);
        }
        return super.createProxy(remoteEndpoint);
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
        MessageConsumer outgoing = wrapMessageConsumer(new WireWriter(output, jsonHandler));
        RemoteEndpoint remote = exceptionHandler == null
                ? new DebugRemoteEndpoint(outgoing, local)
                : new DebugRemoteEndpoint(outgoing, local, exceptionHandler);
        jsonHandler.setMethodProvider(remote);
        remote.setJsonHandler(jsonHandler);
        return remote;
    }
}
