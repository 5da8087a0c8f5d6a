package dev.quiesce.cli;

import dev.quiesce.dap.DapServer;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The command line (PRODUCT.md, "Running it"):
 * <pre>
 *   quiesce                          DAP over stdio
 *   quiesce --port N [--host H]      DAP over TCP, one session per connection
 *   quiesce run PROGRAM [ARGS...] [--break FILE:LINE|FUNC]... [--print EXPR]...
 *                                    batch mode: run PROGRAM under the debugger, print each stop
 * </pre>
 */
public final class Main {
    private static final String USAGE = """
            usage: quiesce                          serve DAP on stdin/stdout
                   quiesce --port N [--host H]      serve DAP on H:N (default host 127.0.0.1)
                   quiesce run PROGRAM [ARGS...] [--break FILE:LINE|FUNCTION]... [--print EXPR]...
                                                    run PROGRAM under the debugger and print its
                                                    output, each stop (thread, frame, locals, the
                                                    --print expressions) and its exit code
            """;

    private Main() {
    }

    /**
     * LSP4J logs a client's ordinary disconnect ("Socket closed", "Connection reset") at INFO with
     * a stack trace; that is the normal end of a session here, not news. Held: loggers are weak.
     */
    private static volatile java.util.logging.Logger streamLog;

    public static void main(String[] argv) throws Exception {
        dev.quiesce.trace.StartupTrace.mark("main");
        quietStreamLog();
        dev.quiesce.linux.JnaSetup.configure();
        List<String> args = Arrays.asList(argv);
        if (args.isEmpty()) {
            serveStdio();
        } else if (args.get(0).equals("run")) {
            System.exit(BatchRun.run(args.subList(1, args.size()), System.out, System.err));
        } else if (args.get(0).equals("--port")) {
            serveTcp(args);
        } else if (args.get(0).equals("--help") || args.get(0).equals("-h")) {
            System.out.print(USAGE);
        } else {
            System.err.print("quiesce: unknown argument " + args.get(0) + "\n" + USAGE);
            System.exit(2);
        }
    }

    /**
     * On a thread of its own: java.util.logging's first use (LogManager reading its configuration)
     * takes 10-20 ms, which the session's start need not wait for (issue 19).
     */
    private static void quietStreamLog() {
        Thread t = new Thread(() -> {
            java.util.logging.Logger log = java.util.logging.Logger.getLogger("org.eclipse.lsp4j.jsonrpc.json.StreamMessageProducer");
            log.setLevel(java.util.logging.Level.WARNING);
            streamLog = log;
        }, "quiesce-logging");
        t.setDaemon(true);
        t.start();
    }

    private static void serveStdio() {
        // stdout carries DAP: anything else printed there would corrupt the stream.
        OutputStream dapOut = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        // After the response to disconnect the session is over: exit, as lldb-dap does
        // (a thread of its own, so the exit does not wait on the thread that wrote the response).
        // Fork children offered to child sessions (followForks) are handed over first: they
        // would die with this process, their tracer.
        // VS Code ends an adapter with SIGTERM once its session is over: the JVM's exit waits there too.
        Runtime.getRuntime().addShutdownHook(new Thread(DapServer::awaitForkOffers, "quiesce-fork-offers-exit"));
        Runnable exitAfterDisconnect = () -> new Thread(() -> {
            DapServer.awaitForkOffers();
            System.exit(0);
        }, "quiesce-exit").start();
        try {
            // Returns when the client is gone too (stdin closed), after the session has ended
            // its program (killed or detached, a bounded wait: DebugSession.connectionClosed).
            DapServer.serve(new FileInputStream(FileDescriptor.in), dapOut, exitAfterDisconnect);
        } finally {
            DapServer.awaitForkOffers();
            System.exit(0);
        }
    }

    private static void serveTcp(List<String> args) throws Exception {
        int port = -1;
        String host = "127.0.0.1";
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--port") && i + 1 < args.size()) {
                port = parsePort(args.get(++i));
            } else if (args.get(i).equals("--host") && i + 1 < args.size()) {
                host = args.get(++i);
            } else {
                System.err.print("quiesce: unexpected argument " + args.get(i) + "\n" + USAGE);
                System.exit(2);
            }
        }
        try (DapServer.Tcp server = new DapServer.Tcp(host, port)) {
            System.err.println("quiesce: serving DAP on " + host + ":" + server.port());
            server.join();
        }
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        System.err.println("quiesce: --port needs a number from 0 to 65535, not " + text);
        System.exit(2);
        return -1;
    }
}
