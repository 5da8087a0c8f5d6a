package dev.quiesce.debugger;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/** For tests that check where a thread waits (at a monitor, or for its own future). */
public final class ThreadStates {
    private ThreadStates() {
    }

    /** The thread's state once it is waiting, blocked or done (it gets there at once; 20 s at most). */
    public static Thread.State awaitWaitingOrBlocked(Thread t) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            Thread.State s = t.getState();
            if (s == Thread.State.BLOCKED || s == Thread.State.TIMED_WAITING || s == Thread.State.WAITING || s == Thread.State.TERMINATED) {
                return s;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + t.getName() + " to wait or block: " + s);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }
}
