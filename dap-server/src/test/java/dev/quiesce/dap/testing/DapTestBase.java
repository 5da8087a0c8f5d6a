package dev.quiesce.dap.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A DAP test class: the real server on a loopback port for the class's tests, and helpers. */
public abstract class DapTestBase {
    protected static TestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    /**
     * Waits for a condition there is no event for (a file appears, a process leaves /proc),
     * polling with a deadline.
     */
    protected static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
