package dev.quiesce.dap;

import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.CapabilitiesEventArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.InvalidatedEventArguments;
import org.eclipse.lsp4j.debug.LoadedSourceEventArguments;
import org.eclipse.lsp4j.debug.MemoryEventArguments;
import org.eclipse.lsp4j.debug.ModuleEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.ProcessEventArguments;
import org.eclipse.lsp4j.debug.ProgressEndEventArguments;
import org.eclipse.lsp4j.debug.ProgressStartEventArguments;
import org.eclipse.lsp4j.debug.ProgressUpdateEventArguments;
import org.eclipse.lsp4j.debug.RunInTerminalRequestArguments;
import org.eclipse.lsp4j.debug.RunInTerminalResponse;
import org.eclipse.lsp4j.debug.StartDebuggingRequestArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.Endpoint;

/**
 * The client as the session sees it: each event and reverse request goes to LSP4J's remote
 * endpoint under its DAP name. This is what LSP4J's reflective proxy for
 * {@code IDebugProtocolClient} does, without reading the interface's annotations when a session
 * starts (issue 19: ~20 ms cold); {@code DapMethodsTest} checks every method against them.
 */
final class DapClient implements IDebugProtocolClient {
    private final Endpoint remote;

    DapClient(Endpoint remote) {
        this.remote = remote;
    }

    @Override
    public void initialized() {
        remote.notify("initialized", null);
    }

    @Override
    public void stopped(StoppedEventArguments args) {
        remote.notify("stopped", args);
    }

    @Override
    public void continued(ContinuedEventArguments args) {
        remote.notify("continued", args);
    }

    @Override
    public void exited(ExitedEventArguments args) {
        remote.notify("exited", args);
    }

    @Override
    public void terminated(TerminatedEventArguments args) {
        remote.notify("terminated", args);
    }

    @Override
    public void thread(ThreadEventArguments args) {
        remote.notify("thread", args);
    }

    @Override
    public void output(OutputEventArguments args) {
        remote.notify("output", args);
    }

    @Override
    public void breakpoint(BreakpointEventArguments args) {
        remote.notify("breakpoint", args);
    }

    @Override
    public void module(ModuleEventArguments args) {
        remote.notify("module", args);
    }

    @Override
    public void loadedSource(LoadedSourceEventArguments args) {
        remote.notify("loadedSource", args);
    }

    @Override
    public void process(ProcessEventArguments args) {
        remote.notify("process", args);
    }

    @Override
    public void capabilities(CapabilitiesEventArguments args) {
        remote.notify("capabilities", args);
    }

    @Override
    public void progressStart(ProgressStartEventArguments args) {
        remote.notify("progressStart", args);
    }

    @Override
    public void progressUpdate(ProgressUpdateEventArguments args) {
        remote.notify("progressUpdate", args);
    }

    @Override
    public void progressEnd(ProgressEndEventArguments args) {
        remote.notify("progressEnd", args);
    }

    @Override
    public void invalidated(InvalidatedEventArguments args) {
        remote.notify("invalidated", args);
    }

    @Override
    public void memory(MemoryEventArguments args) {
        remote.notify("memory", args);
    }

    @Override
    public CompletableFuture<RunInTerminalResponse> runInTerminal(RunInTerminalRequestArguments args) {
        return request("runInTerminal", args);
    }

    @Override
    public CompletableFuture<Void> startDebugging(StartDebuggingRequestArguments args) {
        return request("startDebugging", args);
    }

    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<R> request(String method, Object args) {
        return (CompletableFuture<R>) remote.request(method, args);
    }
}
