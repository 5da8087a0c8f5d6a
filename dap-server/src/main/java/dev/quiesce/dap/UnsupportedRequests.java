package dev.quiesce.dap;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.*;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;

/**
 * Every DAP request Quiesce does not implement yet answers {@code success: false} with a message
 * saying so (LSP4J's defaults would throw and answer "Internal error"). A request is implemented
 * by overriding its method in {@link DebugSession}; its capability is advertised only then.
 */
abstract class UnsupportedRequests implements IDebugProtocolServer {

    static <T> CompletableFuture<T> notSupported(String command) {
        return RequestErrors.failed("'" + command + "' is not supported by Quiesce yet");
    }

    @Override
    public CompletableFuture<Void> cancel(CancelArguments args) {
        return notSupported("cancel");
    }

    @Override
    public CompletableFuture<Void> attach(Map<String, Object> args) {
        return notSupported("attach");
    }

    @Override
    public CompletableFuture<DataBreakpointInfoResponse> dataBreakpointInfo(DataBreakpointInfoArguments args) {
        return notSupported("dataBreakpointInfo");
    }

    @Override
    public CompletableFuture<SetDataBreakpointsResponse> setDataBreakpoints(SetDataBreakpointsArguments args) {
        return notSupported("setDataBreakpoints");
    }

    @Override
    public CompletableFuture<Void> stepBack(StepBackArguments args) {
        return notSupported("stepBack");
    }

    @Override
    public CompletableFuture<Void> reverseContinue(ReverseContinueArguments args) {
        return notSupported("reverseContinue");
    }

    @Override
    public CompletableFuture<Void> restartFrame(RestartFrameArguments args) {
        return notSupported("restartFrame");
    }

    @Override
    public CompletableFuture<Void> goto_(GotoArguments args) {
        return notSupported("goto");
    }

    @Override
    public CompletableFuture<ScopesResponse> scopes(ScopesArguments args) {
        return notSupported("scopes");
    }

    @Override
    public CompletableFuture<VariablesResponse> variables(VariablesArguments args) {
        return notSupported("variables");
    }

    @Override
    public CompletableFuture<SetVariableResponse> setVariable(SetVariableArguments args) {
        return notSupported("setVariable");
    }

    @Override
    public CompletableFuture<SourceResponse> source(SourceArguments args) {
        return notSupported("source");
    }

    @Override
    public CompletableFuture<Void> terminateThreads(TerminateThreadsArguments args) {
        return notSupported("terminateThreads");
    }

    @Override
    public CompletableFuture<LoadedSourcesResponse> loadedSources(LoadedSourcesArguments args) {
        return notSupported("loadedSources");
    }

    @Override
    public CompletableFuture<EvaluateResponse> evaluate(EvaluateArguments args) {
        return notSupported("evaluate");
    }

    @Override
    public CompletableFuture<SetExpressionResponse> setExpression(SetExpressionArguments args) {
        return notSupported("setExpression");
    }

    @Override
    public CompletableFuture<StepInTargetsResponse> stepInTargets(StepInTargetsArguments args) {
        return notSupported("stepInTargets");
    }

    @Override
    public CompletableFuture<GotoTargetsResponse> gotoTargets(GotoTargetsArguments args) {
        return notSupported("gotoTargets");
    }

    @Override
    public CompletableFuture<CompletionsResponse> completions(CompletionsArguments args) {
        return notSupported("completions");
    }

    @Override
    public CompletableFuture<LocationsResponse> locations(LocationsArguments args) {
        return notSupported("locations");
    }

}
