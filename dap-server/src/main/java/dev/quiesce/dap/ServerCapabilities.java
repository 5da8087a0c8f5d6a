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
        return c;
    }
}
