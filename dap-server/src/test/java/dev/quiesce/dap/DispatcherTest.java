package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.lsp4j.debug.Capabilities;
import org.junit.jupiter.api.Test;

/** initialize advertises a request's capability exactly when a handler for the request is registered. */
class DispatcherTest {
    private static final Map<String, Function<Capabilities, Boolean>> FLAG_OF_COMMAND = new LinkedHashMap<>();

    static {
        FLAG_OF_COMMAND.put("configurationDone", Capabilities::getSupportsConfigurationDoneRequest);
        FLAG_OF_COMMAND.put("terminate", Capabilities::getSupportsTerminateRequest);
        FLAG_OF_COMMAND.put("restart", Capabilities::getSupportsRestartRequest);
        FLAG_OF_COMMAND.put("exceptionInfo", Capabilities::getSupportsExceptionInfoRequest);
        FLAG_OF_COMMAND.put("readMemory", Capabilities::getSupportsReadMemoryRequest);
        FLAG_OF_COMMAND.put("writeMemory", Capabilities::getSupportsWriteMemoryRequest);
        FLAG_OF_COMMAND.put("modules", Capabilities::getSupportsModulesRequest);
        FLAG_OF_COMMAND.put("loadedSources", Capabilities::getSupportsLoadedSourcesRequest);
        FLAG_OF_COMMAND.put("cancel", Capabilities::getSupportsCancelRequest);
        FLAG_OF_COMMAND.put("setFunctionBreakpoints", Capabilities::getSupportsFunctionBreakpoints);
        FLAG_OF_COMMAND.put("setInstructionBreakpoints", Capabilities::getSupportsInstructionBreakpoints);
        FLAG_OF_COMMAND.put("breakpointLocations", Capabilities::getSupportsBreakpointLocationsRequest);
        FLAG_OF_COMMAND.put("setVariable", Capabilities::getSupportsSetVariable);
        FLAG_OF_COMMAND.put("setExpression", Capabilities::getSupportsSetExpression);
        FLAG_OF_COMMAND.put("setDataBreakpoints", Capabilities::getSupportsDataBreakpoints);
        FLAG_OF_COMMAND.put("stepInTargets", Capabilities::getSupportsStepInTargetsRequest);
        FLAG_OF_COMMAND.put("gotoTargets", Capabilities::getSupportsGotoTargetsRequest);
        FLAG_OF_COMMAND.put("completions", Capabilities::getSupportsCompletionsRequest);
        FLAG_OF_COMMAND.put("terminateThreads", Capabilities::getSupportsTerminateThreadsRequest);
        FLAG_OF_COMMAND.put("stepBack", Capabilities::getSupportsStepBack);
        FLAG_OF_COMMAND.put("restartFrame", Capabilities::getSupportsRestartFrame);
    }

    @Test
    void aCapabilityIsAdvertisedExactlyWhenItsHandlerIsRegistered() {
        Dispatcher dispatcher = new DebugSession(() -> null, new ResponseHooks(), () -> { }, "test").dispatcher();
        Capabilities capabilities = dispatcher.capabilities();
        FLAG_OF_COMMAND.forEach((command, flag) -> assertEquals(dispatcher.handles(command),
                Boolean.TRUE.equals(flag.apply(capabilities)),
                "'" + command + "': handler registered and capability advertised must agree"));
        assertTrue(dispatcher.handles("stepSyscall") && dispatcher.handles("signalPolicy"), "the custom requests are registered");
    }

    @Test
    void aDapRequestWithoutAHandlerIsRefusedInWordsAndAnUnknownOneAsUnknown() {
        Dispatcher dispatcher = new DebugSession(() -> null, new ResponseHooks(), () -> { }, "test").dispatcher();
        Throwable notYet = dispatcher.request("stepBack", null).handle((ok, failure) -> failure).join();
        assertEquals("'stepBack' is not supported by Quiesce yet", notYet.getMessage());
        Throwable unknown = dispatcher.request("frobnicate", null).handle((ok, failure) -> failure).join();
        assertTrue(unknown.getMessage().contains("frobnicate"), unknown.getMessage());
    }
}
