package dev.quiesce.dap;

import dev.quiesce.engine.TracedProcess;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A client that went away without {@code disconnect} (its stdio closed, its TCP connection
 * dropped) must not leave its program behind (issue 13): a launched program is killed, an
 * attached one detached clean, as {@code disconnect} with its defaults would. A launch or attach
 * still under way when the client left ends its program when it arrives.
 *
 * <p>Threads: {@link #clientGone} runs on the connection's thread (the one that served the
 * session), {@link #programArrived} on whichever completes the launch or attach. The two may
 * race: {@link #gone} is set before the session reads its program and read after it sets one,
 * so at least one of them sees the other, and {@link #ended} makes ending a program happen once.
 */
final class ClientLoss {
    private static final Logger LOG = Logger.getLogger(ClientLoss.class.getName());

    private final AtomicBoolean gone = new AtomicBoolean();
    private final Set<TracedProcess> ended = ConcurrentHashMap.newKeySet();

    /** Marks the client gone; from now on an arriving program is ended at once. */
    void markGone() {
        gone.set(true);
    }

    /** A launch, attach or restart gave the session this program. */
    void programArrived(TracedProcess p) {
        if (gone.get()) {
            end(p);
        }
    }

    /**
     * Ends the session's program ({@code p} null: none, or already ended) and waits for the
     * kill or detach, at most {@code seconds}. Never throws: the connection's cleanup goes on.
     */
    void clientGone(TracedProcess p, long seconds) {
        markGone();
        if (p == null) {
            return;
        }
        try {
            end(p).get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warning("client gone: " + p.programName() + " (pid " + p.pid() + ") did not end within " + seconds + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "client gone: cannot end " + p.programName() + " (pid " + p.pid() + ")", e);
        }
    }

    private CompletableFuture<?> end(TracedProcess p) {
        if (!ended.add(p)) {
            return CompletableFuture.completedFuture(null);
        }
        if (p.launched()) {
            LOG.info("client gone: killing " + p.programName() + " (pid " + p.pid() + ")");
            return p.kill();
        }
        LOG.info("client gone: detaching from " + p.programName() + " (pid " + p.pid() + ")");
        return p.detach();
    }
}
