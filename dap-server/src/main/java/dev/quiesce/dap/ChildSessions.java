package dev.quiesce.dap;

import dev.quiesce.engine.ForkHandover;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.lsp4j.debug.StartDebuggingRequestArguments;
import org.eclipse.lsp4j.debug.StartDebuggingRequestArgumentsType;

/**
 * followForks as child sessions (issue 18 Part 3). The parent's session offers each held fork
 * child to the client with the DAP {@code startDebugging} reverse request ({@code request:
 * "attach"}, the child's {@code processId} and a {@value #HANDOVER_KEY} object); the child's
 * session then takes it, one of two ways:
 * <ul>
 * <li>connected to this same server (TCP): the tracer of this JVM holds the child and gives it
 *     to the attach ({@link Tracer#adoptForkChild});</li>
 * <li>a fresh adapter process (VS Code's default, stdio): it connects to the offer's Unix socket
 *     (in a directory only this user can open, with a random token), this side hands the child
 *     over ({@link Tracer#handOverForkChild}: detached spinning in place, invisible to the
 *     program), the new adapter seizes it and says so; without that word the child is recovered
 *     here and runs on clean.</li>
 * </ul>
 * An offer nobody takes within {@link #offerMillis} (or one the client refuses) lets the child
 * go clean ({@link Tracer#releaseForkChild}): it runs on as if never traced.
 */
final class ChildSessions {
    private static final Logger LOG = Logger.getLogger(ChildSessions.class.getName());
    /** The attach argument that names the offer: {"socket": path, "token": hex, "vfork": bool}. */
    static final String HANDOVER_KEY = "quiesceFork";
    private static final long HANDOVER_MILLIS = 15_000;
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "quiesce-fork-offers");
        t.setDaemon(true);
        return t;
    });
    /** Offers of this JVM by child pid: a child taken here closes its offer. */
    private static final Map<Integer, Offer> OPEN = new ConcurrentHashMap<>();

    /** How long a child waits for its session before it is let go (system property quiesce.fork.offerMillis). */
    static long offerMillis() {
        return Long.getLong("quiesce.fork.offerMillis", 30_000);
    }

    private static void forget(Offer offer) {
        synchronized (OPEN) {
            OPEN.remove(offer.child, offer);
            OPEN.notifyAll();
        }
    }

    /**
     * Waits until this JVM's offers are taken or let go (at most their time and a handover's).
     * An adapter process must not exit before: a held child would die with its tracer
     * (PTRACE_O_EXITKILL) and a child session coming after its parent's end would find nobody.
     */
    static void awaitOffers() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(offerMillis() + HANDOVER_MILLIS);
        synchronized (OPEN) {
            long left;
            while (!OPEN.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
                try {
                    OPEN.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private final Session session;
    /** What the child's attach inherits from the parent's launch or attach (sourceMap, signals). */
    private volatile Map<String, Object> inherited = Map.of();

    ChildSessions(Session session) {
        this.session = session;
    }

    /** Keeps the arguments a child session inherits: sourceMap and signals. */
    void inherit(Map<String, Object> args) {
        Map<String, Object> kept = new LinkedHashMap<>();
        for (String key : new String[] {"sourceMap", "signals"}) {
            if (args.get(key) != null) {
                kept.put(key, args.get(key));
            }
        }
        inherited = kept;
    }

    /** The offer's handle, as the child's attach arguments carry it. */
    record Handover(Path socket, String token, boolean vfork) {
        static Handover parse(Object raw) {
            if (raw == null) {
                return null;
            }
            if (!(raw instanceof Map<?, ?> m) || !(m.get("socket") instanceof String socket) || !(m.get("token") instanceof String token)) {
                throw new IllegalArgumentException("attach argument \"" + HANDOVER_KEY + "\" must be the object a startDebugging request of Quiesce gave: "
                        + "{\"socket\": ..., \"token\": ..., \"vfork\": ...}");
            }
            return new Handover(Path.of(socket), token, Boolean.TRUE.equals(m.get("vfork")));
        }

        Map<String, Object> toJson() {
            return Map.of("socket", socket.toString(), "token", token, "vfork", vfork);
        }
    }

    // ---- the parent's side

    /** The engine holds a fork child of {@code parent} (tracer thread): offered from the session's events thread. */
    void held(TracedProcess parent, int child, boolean vfork) {
        session.events.execute(() -> offer(parent, child, vfork));
    }

    private void offer(TracedProcess parent, int child, boolean vfork) {
        Tracer tracer = session.tracer.get();
        if (!session.clientFeatures.startDebugging()) {
            tracer.releaseForkChild(child);
            session.console("Quiesce: followForks needs a client that opens child sessions (supportsStartDebuggingRequest); "
                    + "fork child " + child + " runs on untraced\n");
            return;
        }
        Offer offer;
        try {
            offer = Offer.open(tracer, child, vfork);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cannot offer fork child " + child + "; it runs on untraced", e);
            tracer.releaseForkChild(child);
            return;
        }
        StartDebuggingRequestArguments request = new StartDebuggingRequestArguments();
        request.setRequest(StartDebuggingRequestArgumentsType.ATTACH);
        Map<String, Object> configuration = new LinkedHashMap<>(inherited);
        configuration.put("type", "quiesce");
        configuration.put("request", "attach");
        configuration.put("name", parent.programName() + " (fork child " + child + ")");
        configuration.put("processId", child);
        configuration.put("nonStop", parent.stopMode() == StopMode.NON_STOP);
        configuration.put("followForks", true);
        configuration.put(HANDOVER_KEY, offer.handover.toJson());
        request.setConfiguration(configuration);
        session.client.startDebugging(request).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.fine(() -> "startDebugging for fork child " + child + " refused: " + failure);
                session.console("Quiesce: the client did not open a session for fork child " + child
                        + " (" + RequestErrors.message(failure) + "); it runs on untraced\n");
                offer.close(true);
            }
        });
    }

    /** One held child offered: its socket, its deadline. */
    private static final class Offer {
        final Tracer tracer;
        final int child;
        final Handover handover;
        final ServerSocketChannel server;
        private final Path dir;
        private volatile boolean closed;

        private Offer(Tracer tracer, int child, Handover handover, ServerSocketChannel server, Path dir) {
            this.tracer = tracer;
            this.child = child;
            this.handover = handover;
            this.server = server;
            this.dir = dir;
        }

        static Offer open(Tracer tracer, int child, boolean vfork) throws IOException {
            Path dir = Files.createTempDirectory("quiesce-fork-"); // rwx------: only this user connects
            Path socket = dir.resolve(child + ".sock");
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            Offer offer = new Offer(tracer, child, new Handover(socket, HexFormat.of().formatHex(random), vfork), server, dir);
            synchronized (OPEN) {
                OPEN.put(child, offer);
            }
            TIMERS.schedule(() -> offer.close(true), offerMillis(), TimeUnit.MILLISECONDS);
            Thread t = new Thread(offer::serve, "quiesce-fork-offer-" + child);
            t.setDaemon(true);
            t.start();
            return offer;
        }

        /** Answers connections until one takes the child (or the offer closes). */
        private void serve() {
            while (!closed) {
                try (SocketChannel c = server.accept()) {
                    if (answer(c)) {
                        close(false);
                    }
                } catch (IOException e) {
                    if (!closed) {
                        LOG.log(Level.FINE, "fork offer " + child, e);
                    }
                }
            }
        }

        /** One connection: "take TOKEN" -> "ok HANDOVER", then the taker's "seized". */
        private boolean answer(SocketChannel c) throws IOException {
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            OutputStream out = Channels.newOutputStream(c);
            String line = in.readLine();
            if (line == null || !line.equals("take " + handover.token())) {
                out.write("error wrong token\n".getBytes(StandardCharsets.UTF_8));
                return false;
            }
            ForkHandover given;
            try {
                given = tracer.handOverForkChild(child).get(HANDOVER_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                out.write(("error " + RequestErrors.message(e).replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8));
                return true; // not held any more (taken here, let go): nothing left to offer
            }
            out.write(("ok " + given.encode() + "\n").getBytes(StandardCharsets.UTF_8));
            // The taker must confirm; if it dies or fails meanwhile the child must not spin for good.
            var watchdog = TIMERS.schedule(() -> closeQuietly(c), HANDOVER_MILLIS, TimeUnit.MILLISECONDS);
            String confirmed;
            try {
                confirmed = in.readLine();
            } catch (IOException e) {
                confirmed = null;
            }
            watchdog.cancel(false);
            if (!"seized".equals(confirmed)) {
                tracer.recoverForkChild(given).whenComplete((recovered, failure) -> LOG.fine(() -> "fork child " + child
                        + " handover not confirmed; recovered here: " + recovered));
            }
            return true;
        }

        /** Ends the offer; {@code release}: the child, if still held here, runs on untraced. */
        void close(boolean release) {
            if (closed) {
                return;
            }
            closed = true;
            forget(this);
            closeQuietly(server);
            try {
                Files.deleteIfExists(handover.socket());
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                LOG.log(Level.FINE, "fork offer files", e);
            }
            if (release) {
                tracer.releaseForkChild(child);
            }
        }

        private static void closeQuietly(java.io.Closeable c) {
            try {
                c.close();
            } catch (IOException e) {
                // closing
            }
        }
    }

    // ---- the child's side

    /**
     * The child session's attach: the child from this JVM's tracer if it holds it (same server),
     * else through the offer's socket from the adapter that holds it. Held until start().
     */
    static CompletableFuture<TracedProcess> take(Tracer tracer, AttachArguments args, ProcessListener listener) {
        int pid = args.processId();
        return tracer.adoptForkChild(pid, args.stopMode(), listener).thenApply(p -> {
            Offer offer = OPEN.get(pid);
            if (offer != null) {
                offer.close(false);
            }
            return p;
        }).exceptionallyCompose(notHere -> {
            if (OPEN.containsKey(pid) || !Files.exists(args.fork().socket())) {
                return CompletableFuture.failedFuture(RequestErrors.error("fork child " + pid + " is not waiting for a session any more: "
                        + RequestErrors.message(notHere) + " (a child nobody takes within " + offerMillis() / 1000 + " s runs on untraced)"));
            }
            return CompletableFuture.supplyAsync(() -> handedOver(tracer, args, listener), ChildSessions::thread).thenCompose(f -> f);
        });
    }

    private static CompletableFuture<TracedProcess> handedOver(Tracer tracer, AttachArguments args, ProcessListener listener) {
        int pid = args.processId();
        SocketChannel c;
        BufferedReader in;
        OutputStream out;
        ForkHandover given;
        try {
            c = SocketChannel.open(UnixDomainSocketAddress.of(args.fork().socket()));
            in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            out = Channels.newOutputStream(c);
            out.write(("take " + args.fork().token() + "\n").getBytes(StandardCharsets.UTF_8));
            String answer = in.readLine();
            if (answer == null || !answer.startsWith("ok ")) {
                c.close();
                return CompletableFuture.failedFuture(RequestErrors.error("the debugger that holds fork child " + pid + " did not hand it over: "
                        + (answer == null ? "no answer" : answer.replaceFirst("^error ", ""))));
            }
            given = ForkHandover.decode(answer.substring(3));
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.failedFuture(RequestErrors.error("cannot reach the debugger that holds fork child " + pid + ": " + e.getMessage()));
        }
        return tracer.takeOverForkChild(given, args.fork().vfork(), args.stopMode(), listener).whenComplete((p, failure) -> {
            try (c) {
                out.write((failure == null ? "seized\n" : "failed\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                LOG.log(Level.FINE, "fork handover confirmation", e);
            }
        });
    }

    private static void thread(Runnable r) {
        Thread t = new Thread(r, "quiesce-fork-take");
        t.setDaemon(true);
        t.start();
    }
}
