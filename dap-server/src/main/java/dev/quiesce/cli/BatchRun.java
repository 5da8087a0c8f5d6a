package dev.quiesce.cli;

import dev.quiesce.dap.DapServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateArgumentsContext;
import org.eclipse.lsp4j.debug.FunctionBreakpoint;
import org.eclipse.lsp4j.debug.Scope;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.StackFrame;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.Variable;
import org.eclipse.lsp4j.debug.VariablesArguments;
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
    private final BatchOptions options;
    /** Stops are described off LSP4J's reader thread (which must stay free to read the answers). */
    private final ExecutorService stops = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quiesce-batch-stops");
        t.setDaemon(true);
        return t;
    });

    private BatchRun(PrintStream out, PrintStream err, BatchOptions options) {
        this.out = out;
        this.err = err;
        this.options = options;
    }

    static int run(List<String> args, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        BatchOptions options;
        try {
            options = BatchOptions.parse(args);
        } catch (BatchOptions.UsageException e) {
            err.println("quiesce run: " + e.getMessage());
            err.println(BatchOptions.USAGE);
            return 2;
        }
        BatchRun batch = new BatchRun(out, err, options);
        try (DapServer.Tcp tcp = new DapServer.Tcp("127.0.0.1", 0);
             Socket socket = new Socket(InetAddress.getLoopbackAddress(), tcp.port())) {
            socket.setTcpNoDelay(true); // small requests, each waited on: no Nagle delay
            Launcher<IDebugProtocolServer> launcher = new DebugLauncher.Builder<IDebugProtocolServer>()
                    .setLocalService(batch)
                    .setRemoteInterface(IDebugProtocolServer.class)
                    .setInput(socket.getInputStream())
                    .setOutput(socket.getOutputStream())
                    .create();
            batch.server = launcher.getRemoteProxy();
            launcher.startListening();
            return batch.session();
        } catch (ExecutionException e) {
            err.println("quiesce: " + e.getCause().getMessage());
            return 127;
        } finally {
            batch.stops.shutdownNow();
        }
    }

    private int session() throws ExecutionException, InterruptedException {
        InitializeRequestArguments init = new InitializeRequestArguments();
        init.setAdapterID("quiesce");
        init.setClientID("quiesce-batch");
        init.setLinesStartAt1(true);
        init.setColumnsStartAt1(true);
        server.initialize(init).get();
        Map<String, Object> launch = new HashMap<>();
        launch.put("program", Path.of(options.program()).toAbsolutePath().toString());
        launch.put("args", options.programArgs());
        launch.put("cwd", Path.of("").toAbsolutePath().toString());
        initialized.get();
        server.launch(launch).get();
        setBreakpoints();
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

    /** The --break options, by file and as function breakpoints; reports those that did not resolve. */
    private void setBreakpoints() throws ExecutionException, InterruptedException {
        Map<String, List<BatchOptions.LineBreak>> byFile = new LinkedHashMap<>();
        for (BatchOptions.LineBreak b : options.lineBreaks()) {
            byFile.computeIfAbsent(b.file(), f -> new ArrayList<>()).add(b);
        }
        for (Map.Entry<String, List<BatchOptions.LineBreak>> file : byFile.entrySet()) {
            SetBreakpointsArguments set = new SetBreakpointsArguments();
            Source source = new Source();
            source.setPath(file.getKey());
            set.setSource(source);
            set.setBreakpoints(file.getValue().stream().map(b -> {
                SourceBreakpoint sb = new SourceBreakpoint();
                sb.setLine(b.line());
                return sb;
            }).toArray(SourceBreakpoint[]::new));
            Breakpoint[] result = server.setBreakpoints(set).get().getBreakpoints();
            for (int i = 0; i < result.length; i++) {
                report(file.getValue().get(i).toString(), result[i]);
            }
        }
        if (!options.functionBreaks().isEmpty()) {
            SetFunctionBreakpointsArguments set = new SetFunctionBreakpointsArguments();
            set.setBreakpoints(options.functionBreaks().stream().map(name -> {
                FunctionBreakpoint fb = new FunctionBreakpoint();
                fb.setName(name);
                return fb;
            }).toArray(FunctionBreakpoint[]::new));
            Breakpoint[] result = server.setFunctionBreakpoints(set).get().getBreakpoints();
            for (int i = 0; i < result.length; i++) {
                report(options.functionBreaks().get(i), result[i]);
            }
        }
    }

    private void report(String what, Breakpoint b) {
        if (!b.isVerified()) {
            out.println("[quiesce] breakpoint " + what + " is pending" + (b.getMessage() != null ? ": " + b.getMessage() : ""));
        }
    }

    @Override
    public void stopped(StoppedEventArguments args) {
        stops.execute(() -> describeAndContinue(args));
    }

    /** Prints the stop: thread, top frame, its arguments and locals, each --print; then continues. */
    private void describeAndContinue(StoppedEventArguments args) {
        int tid = args.getThreadId();
        StringBuilder text = new StringBuilder();
        text.append("[quiesce] stopped: thread ").append(tid).append(", reason ").append(args.getReason())
                .append(args.getDescription() != null ? " (" + args.getDescription() + ")" : "").append('\n');
        try {
            StackTraceArguments st = new StackTraceArguments();
            st.setThreadId(tid);
            st.setLevels(1);
            StackFrame[] frames = server.stackTrace(st).get().getStackFrames();
            if (frames.length > 0) {
                StackFrame f = frames[0];
                text.append("[quiesce]   frame: ").append(f.getName()).append(where(f)).append('\n');
                ScopesArguments sa = new ScopesArguments();
                sa.setFrameId(f.getId());
                for (Scope scope : server.scopes(sa).get().getScopes()) {
                    if (!"Arguments".equals(scope.getName()) && !"Locals".equals(scope.getName())) {
                        continue;
                    }
                    VariablesArguments va = new VariablesArguments();
                    va.setVariablesReference(scope.getVariablesReference());
                    for (Variable v : server.variables(va).get().getVariables()) {
                        text.append("[quiesce]   ").append(scope.getName().equals("Arguments") ? "arg " : "local ")
                                .append(v.getName()).append(" = ").append(v.getValue()).append('\n');
                    }
                }
                for (String expression : options.prints()) {
                    EvaluateArguments ea = new EvaluateArguments();
                    ea.setExpression(expression);
                    ea.setFrameId(f.getId());
                    ea.setContext(EvaluateArgumentsContext.WATCH);
                    text.append("[quiesce]   print ").append(expression);
                    try {
                        String result = server.evaluate(ea).get().getResult();
                        text.append(" = ").append(result).append('\n');
                    } catch (ExecutionException e) {
                        text.append(": ").append(message(e)).append('\n');
                    }
                }
            }
        } catch (ExecutionException e) {
            text.append("[quiesce]   (cannot show the stop: ").append(message(e)).append(")\n");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        text.append("[quiesce] continuing thread ").append(tid);
        out.println(text);
        out.flush();
        ContinueArguments cont = new ContinueArguments();
        cont.setThreadId(tid);
        server.continue_(cont);
    }

    private static String where(StackFrame f) {
        Source s = f.getSource();
        if (s == null || s.getPath() == null) {
            return f.getInstructionPointerReference() != null ? " at " + f.getInstructionPointerReference() : "";
        }
        return " (" + s.getName() + ":" + f.getLine() + ")";
    }

    private static String message(ExecutionException e) {
        return dev.quiesce.dap.RequestErrors.message(e.getCause() == null ? e : e.getCause());
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
