package dev.quiesce.dap;

import dev.quiesce.engine.Tracer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;
import org.eclipse.lsp4j.jsonrpc.Launcher;
import org.eclipse.lsp4j.jsonrpc.MessageConsumer;

/** Serves DAP sessions: one over a pair of streams (stdio), or one per TCP connection. */
public final class DapServer {
    private static final Logger LOG = Logger.getLogger(DapServer.class.getName());
    private static final AtomicInteger SESSIONS = new AtomicInteger();

    private DapServer() {
    }

    /**
     * Runs one session over the given streams until the client disconnects or the input ends.
     * {@code close} is called after the response to {@code disconnect} has been written.
     */
    public static void serve(InputStream in, OutputStream out, Runnable close) {
        ResponseHooks hooks = new ResponseHooks();
        String name = Integer.toString(SESSIONS.incrementAndGet());
        // The tracer (its thread, JNA's native library, the waker) starts on another thread while
        // LSP4J builds its endpoints and answers initialize: both are on the way to the first stop.
        CompletableFuture<Tracer> tracer = new CompletableFuture<>();
        Thread starter = new Thread(() -> {
            try {
                tracer.complete(Tracer.shared());
                dev.quiesce.trace.StartupTrace.mark("tracer started");
                // Steps disassemble; load libcapstone ahead of the first one, with CPU nobody on
                // the way to the first stop wants (this thread ends here: nice 19 is its own).
                dev.quiesce.linux.ThreadNice.set(dev.quiesce.linux.ThreadNice.LOWEST);
                dev.quiesce.disasm.Capstone.available();
            } catch (RuntimeException | Error e) {
                tracer.completeExceptionally(e);
            }
        }, "quiesce-tracer-start");
        starter.setDaemon(true);
        starter.start();
        DebugSession session = new DebugSession(tracer::join, hooks, close, name);
        AtomicBoolean inputEnded = new AtomicBoolean();
        ExecutorService requestThreads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "quiesce-dap-" + name);
            t.setDaemon(true);
            return t;
        });
        DapLauncher<IDebugProtocolClient> builder = new DapLauncher<>();
        Launcher<IDebugProtocolClient> launcher = builder
                .setLocalService(session.dispatcher())
                .setRemoteInterface(IDebugProtocolClient.class)
                .setInput(in)
                .setOutput(out)
                .setExecutorService(requestThreads)
                .wrapMessages(consumer -> hooks.wrap(ProtocolErrors.wrap(untilInputEnds(consumer, inputEnded), session::console)))
                .create();
        dev.quiesce.trace.StartupTrace.mark("launcher created");
        // After initialize's answer, not beside it: both cores are busy until then (issue 19).
        session.initializeAnswered().thenRun(() -> JsonWarmup.start(builder.json(), session::warmUpValues));
        session.connect(launcher.getRemoteProxy());
        Future<Void> listening = launcher.startListening();
        try {
            listening.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.log(Level.FINE, "session " + name + " ended", e);
        } finally {
            inputEnded.set(true);
            try {
                session.connectionClosed(); // ends the program; bounded, whatever requests are stuck
            } finally {
                requestThreads.shutdown();
            }
        }
    }

    /**
     * Drops what the session still sends once the client's input has ended (it is gone: the
     * events of the program being killed, say), instead of LSP4J logging a broken pipe for each.
     */
    private static MessageConsumer untilInputEnds(MessageConsumer next,
                                                                           AtomicBoolean inputEnded) {
        return message -> {
            if (!inputEnded.get()) {
                next.consume(message);
            }
        };
    }

    /** A TCP server on {@code host:port}; each connection gets its own session and thread. */
    public static final class Tcp implements AutoCloseable {
        private final ServerSocket socket;
        private final Thread acceptor;

        public Tcp(String host, int port) throws IOException {
            socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            acceptor = new Thread(this::acceptLoop, "quiesce-accept");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        /** Blocks until the server is closed. */
        public void join() throws InterruptedException {
            acceptor.join();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket connection = socket.accept();
                    // DAP is request/response with small messages written as header then body:
                    // with Nagle's algorithm each answer waited ~40 ms for the peer's delayed ACK.
                    connection.setTcpNoDelay(true);
                    Thread t = new Thread(() -> serveConnection(connection), "quiesce-connection-" + connection.getPort());
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    if (!socket.isClosed()) {
                        LOG.log(Level.WARNING, "accept failed", e);
                    }
                }
            }
        }

        private static void serveConnection(Socket connection) {
            try (connection) {
                serve(connection.getInputStream(), connection.getOutputStream(), () -> closeQuietly(connection));
            } catch (IOException e) {
                LOG.log(Level.FINE, "connection ended", e);
            }
        }

        private static void closeQuietly(Socket connection) {
            try {
                connection.close();
            } catch (IOException ignored) {
                // already closed
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** Waits until the fork children this JVM offers as child sessions are taken or let go (followForks). */
    public static void awaitForkOffers() {
        ChildSessions.awaitOffers();
    }
}
