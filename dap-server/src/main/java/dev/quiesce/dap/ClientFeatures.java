package dev.quiesce.dap;

import java.util.concurrent.Executor;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.InvalidatedEventArguments;
import org.eclipse.lsp4j.debug.MemoryEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * What the client said it handles in {@code initialize}, and the events that depend on it:
 * {@code invalidated} only to a client with {@code supportsInvalidatedEvent}, {@code memory}
 * only with {@code supportsMemoryEvent} (the spec forbids sending them otherwise).
 */
final class ClientFeatures {
    private volatile boolean invalidatedEvent;
    private volatile boolean memoryEvent;
    private volatile boolean runInTerminal;
    private volatile boolean startDebugging;
    private volatile boolean progressReporting;
    private volatile boolean columnsStartAt1 = true;

    void initialize(InitializeRequestArguments args) {
        runInTerminal = args != null && Boolean.TRUE.equals(args.getSupportsRunInTerminalRequest());
        startDebugging = args != null && Boolean.TRUE.equals(args.getSupportsStartDebuggingRequest());
        invalidatedEvent = args != null && Boolean.TRUE.equals(args.getSupportsInvalidatedEvent());
        memoryEvent = args != null && Boolean.TRUE.equals(args.getSupportsMemoryEvent());
        progressReporting = args != null && Boolean.TRUE.equals(args.getSupportsProgressReporting());
        columnsStartAt1 = args == null || !Boolean.FALSE.equals(args.getColumnsStartAt1());
    }

    /** Whether the client takes progressStart/Update/End events. */
    boolean progressReporting() {
        return progressReporting;
    }

    /** Whether columns count from 1 (the default) in requests and responses. */
    boolean columnsStartAt1() {
        return columnsStartAt1;
    }

    /** The client can run a command in a terminal for us (launch's console: integratedTerminal). */
    boolean runInTerminal() {
        return runInTerminal;
    }

    /** The client opens child sessions for us (startDebugging: followForks). */
    boolean startDebugging() {
        return startDebugging;
    }

    /** Values shown may have changed (after setVariable / setExpression). */
    void variablesChanged(IDebugProtocolClient client, Executor events) {
        invalidated(client, events, org.eclipse.lsp4j.debug.InvalidatedAreas.VARIABLES);
    }

    /**
     * Memory was written: anything shown may have changed (variables, and stacks too when a
     * return address or a frame's bytes were written), and the memory views of that range.
     */
    void memoryWritten(IDebugProtocolClient client, Executor events, long address, int count) {
        invalidated(client, events, org.eclipse.lsp4j.debug.InvalidatedAreas.ALL);
        if (memoryEvent) {
            MemoryEventArguments memory = new MemoryEventArguments();
            memory.setMemoryReference(MemoryRequests.hex(address));
            memory.setOffset(0);
            memory.setCount(count);
            events.execute(() -> client.memory(memory));
        }
    }

    private void invalidated(IDebugProtocolClient client, Executor events, String area) {
        if (!invalidatedEvent) {
            return;
        }
        InvalidatedEventArguments invalidated = new InvalidatedEventArguments();
        invalidated.setAreas(new String[] {area});
        events.execute(() -> client.invalidated(invalidated));
    }
}
