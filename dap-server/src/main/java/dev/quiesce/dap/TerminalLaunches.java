package dev.quiesce.dap;

import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.eclipse.lsp4j.debug.RunInTerminalRequestArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.ResponseErrorException;

/**
 * {@code console: integratedTerminal / externalTerminal}: asks the client to run the launcher in
 * a terminal (the DAP {@code runInTerminal} reverse request); the engine then seizes it there.
 */
final class TerminalLaunches {
    private TerminalLaunches() {
    }

    /** The launch's error when the client cannot open terminals, or null when it can. */
    static String unsupported(TerminalConsole terminal, boolean clientRunsInTerminal) {
        if (terminal == null || clientRunsInTerminal) {
            return null;
        }
        return "\"console\": \"" + terminal.describe() + "\" needs a client that can open a terminal (runInTerminal), "
                + "and this one did not say it supports it (supportsRunInTerminalRequest); use \"console\": \"internalConsole\"";
    }

    static CompletableFuture<TracedProcess> launch(Tracer tracer, LaunchSpec spec, TerminalConsole terminal,
            IDebugProtocolClient client, ProcessListener listener) {
        return tracer.launchInTerminal(spec, command -> client.runInTerminal(request(spec, terminal, command))
                .exceptionally(failure -> {
                    throw new CompletionException(RequestErrors.error("the client could not run the program in a terminal: "
                            + clientMessage(failure)));
                }), listener);
    }

    private static RunInTerminalRequestArguments request(LaunchSpec spec, TerminalConsole terminal, List<String> command) {
        RunInTerminalRequestArguments args = new RunInTerminalRequestArguments();
        args.setKind(terminal.kind());
        args.setTitle(spec.program().getFileName().toString());
        args.setCwd(spec.cwd().toString());
        args.setArgs(command.toArray(String[]::new));
        if (!terminal.envChanges().isEmpty()) {
            args.setEnv(terminal.envChanges());
        }
        return args;
    }

    private static String clientMessage(Throwable failure) {
        Throwable t = failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
        if (t instanceof ResponseErrorException r && r.getResponseError() != null) {
            return r.getResponseError().getMessage();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
