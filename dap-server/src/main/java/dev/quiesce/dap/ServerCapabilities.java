package dev.quiesce.dap;

import org.eclipse.lsp4j.debug.Capabilities;

/**
 * What Quiesce tells clients it can do. Only what is implemented and tested is advertised;
 * each issue that lands a request adds its flag here.
 */
final class ServerCapabilities {
    private ServerCapabilities() {
    }

    static Capabilities current() {
        Capabilities c = new Capabilities();
        c.setSupportsConfigurationDoneRequest(true);
        c.setSupportsTerminateRequest(true);
        // disconnect honours terminateDebuggee: kill, or detach leaving no trace
        c.setSupportTerminateDebuggee(true);
        // continue honours singleThread in all-stop mode
        c.setSupportsSingleThreadExecutionRequests(true);
        c.setSupportsExceptionInfoRequest(true);
        c.setSupportsReadMemoryRequest(true);
        c.setSupportsModulesRequest(true);
        // every file the loaded modules' line tables name; loadedSource events (SourceRequests)
        c.setSupportsLoadedSourcesRequest(true);
        // cancel answers a request still pending with success:false, "cancelled" (CancelRequests)
        c.setSupportsCancelRequest(true);
        // (invalidated/memory events are the client's capabilities: ClientFeatures honours them)
        // stackTrace pages with startFrame/levels and reports totalFrames
        c.setSupportsDelayedStackTraceLoading(true);
        // line, function and instruction breakpoints (pending in libraries not loaded yet), hit counts
        c.setSupportsFunctionBreakpoints(true);
        c.setSupportsInstructionBreakpoints(true);
        c.setSupportsBreakpointLocationsRequest(true);
        c.setSupportsHitConditionalBreakpoints(true);
        // conditions and logpoints ({expressions}) through the C expression evaluator
        c.setSupportsConditionalBreakpoints(true);
        c.setSupportsLogPoints(true);
        // next/stepIn/stepOut by line or by instruction
        c.setSupportsSteppingGranularity(true);
        c.setSupportsRestartRequest(true);
        c.setSupportsWriteMemoryRequest(true);
        c.setSupportsDisassembleRequest(dev.quiesce.disasm.Capstone.available());
        c.setSupportsExceptionFilterOptions(true);
        // values: scopes/variables/evaluate (VariableRequests)
        c.setSupportsSetVariable(true);
        c.setSupportsSetExpression(true);
        c.setSupportsValueFormattingOptions(true);
        c.setSupportsEvaluateForHovers(true);
        c.setSupportsClipboardContext(true);
        // the debug console: locals, globals, members after . and ->, registers after $ (CompletionRequests)
        c.setSupportsCompletionsRequest(true);
        c.setCompletionTriggerCharacters(new String[] {".", ">", "$"});
        // goto within the thread's function; stepIn into one chosen call of the line (NavigationRequests)
        c.setSupportsGotoTargetsRequest(true);
        c.setSupportsStepInTargetsRequest(true);
        // signal, syscall, cpp_throw, cpp_catch
        c.setExceptionBreakpointFilters(ExceptionFilters.offered());
        return c;
    }
}
