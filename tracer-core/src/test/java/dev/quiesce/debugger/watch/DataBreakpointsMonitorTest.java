package dev.quiesce.debugger.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.debugger.ThreadStates;
import dev.quiesce.engine.Debuggee;
import dev.quiesce.engine.StopMode;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A setDataBreakpoints waiting for the tracer must not hold the monitor against the next one
 * (the code base's rule: no waiting on a tracer future under a lock). The tracer thread is kept
 * busy by a task of the test, so the first set's edits stay queued; the second set must get
 * as far as waiting for its own edits, not stand blocked at the monitor.
 */
class DataBreakpointsMonitorTest {
    private static final long T = 30;

    @Test
    void aSetWaitingForTheTracerLetsTheNextSetDecideMeanwhile() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "2", "0", "1000000");
        CountDownLatch release = new CountDownLatch(1);
        try {
            DataBreakpoints.hardwareAvailable(); // its probe program (once per JVM) done before the tracer is kept busy
            DataBreakpoints watches = new DataBreakpoints();
            watches.bind(d.process);
            long counters = d.symbol("counters");
            CompletableFuture<Void> busy = d.process.runOnTracer(() -> {
                try {
                    release.await(T, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<List<DataBreakpoints.Outcome>> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
            Thread first = new Thread(() -> answers.add(watches.set(List.of(spec(counters)))), "first set");
            first.start();
            Thread.State firstState = ThreadStates.awaitWaitingOrBlocked(first);
            assertEquals(Thread.State.TIMED_WAITING, firstState, "the first set waits for its tracer edits");
            Thread second = new Thread(() -> answers.add(watches.set(List.of(spec(counters + 8)))), "second set");
            second.start();
            Thread.State secondState = ThreadStates.awaitWaitingOrBlocked(second);
            String firstStack = java.util.Arrays.toString(first.getStackTrace());
            release.countDown();
            busy.get(T, TimeUnit.SECONDS);
            first.join(TimeUnit.SECONDS.toMillis(T));
            second.join(TimeUnit.SECONDS.toMillis(T));
            assertEquals(Thread.State.TIMED_WAITING, secondState,
                    "the second set stood at the monitor the first held while it waited for the tracer; the first: " + firstStack);
            assertEquals(2, answers.size());
            answers.forEach(a -> assertTrue(a.get(0).breakpoint().isPresent(), a.toString()));
            assertEquals(counters + 8, watches.active().get(0).spec().address(), "the set decided last is the one in force");
        } finally {
            release.countDown();
            d.process.kill().get(T, TimeUnit.SECONDS);
        }
    }

    private static DataBreakpoint.Spec spec(long address) {
        return new DataBreakpoint.Spec("counters", address, 8, DataBreakpoint.Access.WRITE, Optional.empty(),
                Optional.empty(), bytes -> "", 0, 0, 0);
    }
}
