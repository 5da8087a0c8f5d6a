package dev.quiesce.debugger.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.quiesce.debugger.ThreadStates;
import dev.quiesce.engine.Debuggee;
import dev.quiesce.engine.StopMode;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.elf.ElfFile;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A filter change waiting for its int3 edits must not hold the monitor against the next change.
 * The tracer thread is kept busy by a task of the test, so the first change's edit (rust_panic's
 * int3 in panics_rs) stays queued; the second change must reach its own wait, not stand blocked.
 */
class ExceptionBreakpointsMonitorTest {
    private static final long T = 30;

    @Test
    void aFilterChangeWaitingForTheTracerLetsTheNextOneDecideMeanwhile() throws Exception {
        Debuggee d = Debuggee.launch("panics_rs", StopMode.NON_STOP);
        CountDownLatch release = new CountDownLatch(1);
        try {
            ExceptionBreakpoints exceptions = new ExceptionBreakpoints();
            exceptions.bind(d.process);
            // Bias 0: the addresses are not the run-time ones; the edits only have to be queued (a failed one is logged).
            exceptions.modulesChanged(List.of(LoadedModule.of(d.binary.toString(), ElfFile.open(d.binary), 0, LoadedModule.Kind.PROGRAM)));
            CompletableFuture<Void> busy = d.process.runOnTracer(() -> {
                try {
                    release.await(T, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Thread first = new Thread(() -> exceptions.setFilter(new ExceptionBreakpoints.Filter(null, null, true)), "panics on");
            first.start();
            assertEquals(Thread.State.TIMED_WAITING, ThreadStates.awaitWaitingOrBlocked(first), "the first change waits for its int3");
            Thread second = new Thread(() -> exceptions.setFilter(ExceptionBreakpoints.Filter.OFF), "panics off");
            second.start();
            Thread.State secondState = ThreadStates.awaitWaitingOrBlocked(second);
            String firstStack = java.util.Arrays.toString(first.getStackTrace());
            release.countDown();
            busy.get(T, TimeUnit.SECONDS);
            first.join(TimeUnit.SECONDS.toMillis(T));
            second.join(TimeUnit.SECONDS.toMillis(T));
            assertEquals(Thread.State.TIMED_WAITING, secondState,
                    "the second change stood at the monitor the first held while it waited for the tracer; the first: " + firstStack);
            assertEquals(Thread.State.TERMINATED, first.getState());
            assertEquals(Thread.State.TERMINATED, second.getState());
        } finally {
            release.countDown();
            d.process.kill().get(T, TimeUnit.SECONDS);
        }
    }
}
