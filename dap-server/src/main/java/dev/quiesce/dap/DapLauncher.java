package dev.quiesce.dap;

import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;
import org.eclipse.lsp4j.jsonrpc.json.MessageJsonHandler;

/** LSP4J's debug launcher with Quiesce's message parser ({@link DapMessageParser}). */
final class DapLauncher<T> extends DebugLauncher.Builder<T> {
    @Override
    protected MessageJsonHandler createJsonHandler() {
        return new DapMessageParser(getSupportedMethods());
    }
}
