package dev.quiesce.dap;

import com.google.gson.reflect.TypeToken;
import java.lang.reflect.Type;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.lsp4j.debug.*;
import org.eclipse.lsp4j.jsonrpc.json.JsonRpcMethod;

/**
 * Every DAP request and event with its argument and result types, as LSP4J 0.24's
 * {@code IDebugProtocolServer} and {@code IDebugProtocolClient} declare them. LSP4J finds these by
 * reflection over the interfaces' annotations ({@code ServiceEndpoints.getSupportedMethods}),
 * which cost ~35 ms of a session's start on the critical path to {@code initialize} (issue 19:
 * annotation parsing, run cold). Written out instead; {@code DapMethodsTest} compares both tables
 * with LSP4J's reflection, so an LSP4J upgrade that changes them fails the build, not a session.
 */
final class DapMethods {
    /** launch and attach take their arguments as a JSON object (PRODUCT.md), as LSP4J declares them. */
    private static final Type LAUNCH_ARGUMENTS = TypeToken.getParameterized(Map.class, String.class, Object.class).getType();

    /** The requests a client sends (IDebugProtocolServer). */
    static final Map<String, JsonRpcMethod> SERVER = server();
    /** The events and reverse requests the server sends (IDebugProtocolClient). */
    static final Map<String, JsonRpcMethod> CLIENT = client();

    private DapMethods() {}

    private static Map<String, JsonRpcMethod> server() {
        Map<String, JsonRpcMethod> m = new LinkedHashMap<>();
        request(m, "attach", Void.class, LAUNCH_ARGUMENTS);
        request(m, "breakpointLocations", BreakpointLocationsResponse.class, BreakpointLocationsArguments.class);
        request(m, "cancel", Void.class, CancelArguments.class);
        request(m, "completions", CompletionsResponse.class, CompletionsArguments.class);
        request(m, "configurationDone", Void.class, ConfigurationDoneArguments.class);
        request(m, "continue", ContinueResponse.class, ContinueArguments.class);
        request(m, "dataBreakpointInfo", DataBreakpointInfoResponse.class, DataBreakpointInfoArguments.class);
        request(m, "disassemble", DisassembleResponse.class, DisassembleArguments.class);
        request(m, "disconnect", Void.class, DisconnectArguments.class);
        request(m, "evaluate", EvaluateResponse.class, EvaluateArguments.class);
        request(m, "exceptionInfo", ExceptionInfoResponse.class, ExceptionInfoArguments.class);
        request(m, "goto", Void.class, GotoArguments.class);
        request(m, "gotoTargets", GotoTargetsResponse.class, GotoTargetsArguments.class);
        request(m, "initialize", Capabilities.class, InitializeRequestArguments.class);
        request(m, "launch", Void.class, LAUNCH_ARGUMENTS);
        request(m, "loadedSources", LoadedSourcesResponse.class, LoadedSourcesArguments.class);
        request(m, "locations", LocationsResponse.class, LocationsArguments.class);
        request(m, "modules", ModulesResponse.class, ModulesArguments.class);
        request(m, "next", Void.class, NextArguments.class);
        request(m, "pause", Void.class, PauseArguments.class);
        request(m, "readMemory", ReadMemoryResponse.class, ReadMemoryArguments.class);
        request(m, "restart", Void.class, RestartArguments.class);
        request(m, "restartFrame", Void.class, RestartFrameArguments.class);
        request(m, "reverseContinue", Void.class, ReverseContinueArguments.class);
        request(m, "scopes", ScopesResponse.class, ScopesArguments.class);
        request(m, "setBreakpoints", SetBreakpointsResponse.class, SetBreakpointsArguments.class);
        request(m, "setDataBreakpoints", SetDataBreakpointsResponse.class, SetDataBreakpointsArguments.class);
        request(m, "setExceptionBreakpoints", SetExceptionBreakpointsResponse.class, SetExceptionBreakpointsArguments.class);
        request(m, "setExpression", SetExpressionResponse.class, SetExpressionArguments.class);
        request(m, "setFunctionBreakpoints", SetFunctionBreakpointsResponse.class, SetFunctionBreakpointsArguments.class);
        request(m, "setInstructionBreakpoints", SetInstructionBreakpointsResponse.class, SetInstructionBreakpointsArguments.class);
        request(m, "setVariable", SetVariableResponse.class, SetVariableArguments.class);
        request(m, "source", SourceResponse.class, SourceArguments.class);
        request(m, "stackTrace", StackTraceResponse.class, StackTraceArguments.class);
        request(m, "stepBack", Void.class, StepBackArguments.class);
        request(m, "stepIn", Void.class, StepInArguments.class);
        request(m, "stepInTargets", StepInTargetsResponse.class, StepInTargetsArguments.class);
        request(m, "stepOut", Void.class, StepOutArguments.class);
        request(m, "terminate", Void.class, TerminateArguments.class);
        request(m, "terminateThreads", Void.class, TerminateThreadsArguments.class);
        request(m, "threads", ThreadsResponse.class);
        request(m, "variables", VariablesResponse.class, VariablesArguments.class);
        request(m, "writeMemory", WriteMemoryResponse.class, WriteMemoryArguments.class);
        return Collections.unmodifiableMap(m);
    }

    private static Map<String, JsonRpcMethod> client() {
        Map<String, JsonRpcMethod> m = new LinkedHashMap<>();
        notification(m, "breakpoint", BreakpointEventArguments.class);
        notification(m, "capabilities", CapabilitiesEventArguments.class);
        notification(m, "continued", ContinuedEventArguments.class);
        notification(m, "exited", ExitedEventArguments.class);
        notification(m, "initialized");
        notification(m, "invalidated", InvalidatedEventArguments.class);
        notification(m, "loadedSource", LoadedSourceEventArguments.class);
        notification(m, "memory", MemoryEventArguments.class);
        notification(m, "module", ModuleEventArguments.class);
        notification(m, "output", OutputEventArguments.class);
        notification(m, "process", ProcessEventArguments.class);
        notification(m, "progressEnd", ProgressEndEventArguments.class);
        notification(m, "progressStart", ProgressStartEventArguments.class);
        notification(m, "progressUpdate", ProgressUpdateEventArguments.class);
        notification(m, "stopped", StoppedEventArguments.class);
        notification(m, "terminated", TerminatedEventArguments.class);
        notification(m, "thread", ThreadEventArguments.class);
        request(m, "runInTerminal", RunInTerminalResponse.class, RunInTerminalRequestArguments.class);
        request(m, "startDebugging", Void.class, StartDebuggingRequestArguments.class);
        return Collections.unmodifiableMap(m);
    }

    private static void request(Map<String, JsonRpcMethod> m, String name, Type result, Type... arguments) {
        m.put(name, JsonRpcMethod.request(name, result, arguments));
    }

    private static void notification(Map<String, JsonRpcMethod> m, String name, Type... arguments) {
        m.put(name, JsonRpcMethod.notification(name, arguments));
    }
}
