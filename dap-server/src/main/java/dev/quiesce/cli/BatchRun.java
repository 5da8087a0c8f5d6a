package dev.quiesce.cli;

import dev.quiesce.dap.DapServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.eclipse.lsp4j.debug.ConfigurationDoneArguments;
import org.eclipse.lsp4j.debug.ContinueArguments;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.InitializeRequestArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArgumentsCategory;
import org.eclipse.lsp4j.debug.ProcessEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.debug.services.IDebugProtocolServer;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.debug.DebugLauncher;

/**
 * {@code quiesce run PROGRAM [ARGS...]}: a headless DAP session. It starts the server on a
 * loopback port and talks real DAP to it, so batch mode exercises exactly what editors use.
 * Prints the program's output as it comes, each stop and thread event, and the exit code,
 * and returns the program's exit code (128 + signal when a signal killed it).
 */
final class BatchRun implements IDebugProtocolClient {
    private final PrintStream out;
    private final PrintStream err;
    private final CompletableFuture<Void> initialized = new CompletableFuture<>();
    private final CompletableFuture<Void> terminated = new CompletableFuture<>();
    private volatile int exitCode = -1;
    private IDebugProtocolServer server;

    private BatchRun(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (args.isEmpty()) {
            err.println("usage: quiesce run PROGRAM [ARGS...]");
            return 2;
        }
        BatchRun batch = new BatchRun(out, err);
        try (DapServer.Tcp tcp = new DapServer.Tcp("127.0.0.1", 0);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
            Launcher<IDebugProtocolServer> launcher = new DebugLauncher.Builder<IDebugProtocolServer>()
                    .setLocalService(batch)
                    .setRemoteInterface(IDebugProtocolServer.class)
                    .setInput(socket.getInputStream())
                    .setOutput(socket.getOutputStream())
                    .create();
            batch.server = launcher.getRemoteProxy();
            launcher.startListening();
            return batch.session(args);
        } catch (ExecutionException e) {
            err.println("quiesce: " + e.getCause().getMessage());
            return 127;
        }
    }

    private int session(List<String> args) throws ExecutionException, InterruptedException {
        InitializeRequestArguments init = new InitializeRequestArguments();
        init.setAdapterID("quiesce");
        init.setClientID("quiesce-batch");
        init.setLinesStartAt1(true);
        init.setColumnsStartAt1(true);
        server.initialize(init).get();
        Map<String, Object> launch = new HashMap<>();
        launch.put("program", Path.of(args.get(0)).toAbsolutePath().toString());
        launch.put("args", args.subList(1, args.size()));
        launch.put("cwd", Path.of("").toAbsolutePath().toString());
        initialized.get();
        server.launch(launch).get();
        server.configurationDone(new ConfigurationDoneArguments()).get();
        terminated.get();
        DisconnectArguments disconnect = new DisconnectArguments();
        server.disconnect(disconnect).get();
        return exitCode;
    }

    @Override
    public void initialized() {
        initialized.complete(null);
    }

    @Override
    public void process(ProcessEventArguments args) {
        out.println("[quiesce] launched " + args.getName() + " (pid " + args.getSystemProcessId() + ")");
    }

    @Override
    public void thread(ThreadEventArguments args) {
        out.println("[quiesce] thread " + args.getThreadId() + " " + args.getReason());
    }

    @Override
    public void output(OutputEventArguments args) {
        String category = args.getCategory();
        if (OutputEventArgumentsCategory.STDERR.equals(category)) {
            err.print(args.getOutput());
            err.flush();
        } else if (OutputEventArgumentsCategory.STDOUT.equals(category)) {
            out.print(args.getOutput());
            out.flush();
        } else {
            out.print("[quiesce] " + args.getOutput());
        }
    }

    @Override
    public void stopped(StoppedEventArguments args) {
        out.println("[quiesce] stopped: thread " + args.getThreadId() + ", reason " + args.getReason()
                + (args.getDescription() != null ? " (" + args.getDescription() + ")" : "") + "; continuing");
        ContinueArguments cont = new ContinueArguments();
        cont.setThreadId(args.getThreadId());
        server.continue_(cont);
    }

    @Override
    public void exited(ExitedEventArguments args) {
        exitCode = args.getExitCode();
        out.println("[quiesce] exited with code " + exitCode);
    }

    @Override
    public void terminated(TerminatedEventArguments args) {
        terminated.complete(null);
    }
}
