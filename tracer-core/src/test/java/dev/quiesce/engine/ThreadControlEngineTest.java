package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.linux.LibC;
import dev.quiesce.linux.Signal;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Non-stop control of single threads and whole processes, and the pitfalls around it. */
class ThreadControlEngineTest {

    /** Waits for a condition on the running program's memory (there is no event for "a counter moved"). */
    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static int workerTid(Debuggee d) throws Exception {
        List<ThreadInfo> threads = d.process.threads().get();
        return threads.stream().mapToInt(ThreadInfo::tid).filter(tid -> tid != d.process.pid()).findFirst().orElseThrow();
    }

    @Test
    void pausedThreadStaysStoppedWhileTheOthersKeepCounting() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "4", "0", "1000000");
        d.start();
        for (int i = 0; i < 5; i++) {
            d.events.await(RecordingListener.Started.class);
        }
        int worker = workerTid(d);
        int frozenIndex = -1;
        for (int round = 0; round < 1000; round++) {
            d.process.pause(worker).get();
            ThreadStop stop = d.events.await(RecordingListener.Stopped.class).stop();
            assertEquals(worker, stop.tid());
            if (round % 100 == 0) {
                long[] before = new long[4];
                for (int i = 0; i < 4; i++) {
                    before[i] = d.counter(i);
                }
                awaitCondition("the three running workers advance", () -> {
                    int moved = 0;
                    for (int i = 0; i < 4; i++) {
                        moved += d.counter(i) != before[i] ? 1 : 0;
                    }
                    return moved == 3;
                });
                int frozen = -1;
                for (int i = 0; i < 4; i++) {
                    if (d.counter(i) == before[i]) {
                        frozen = i;
                    }
                }
                assertTrue(frozen >= 0, "the paused worker's counter moved");
                assertTrue(frozenIndex < 0 || frozenIndex == frozen, "a different worker froze");
                frozenIndex = frozen;
            }
            d.process.resume(worker).get();
        }
        d.process.kill().get();
    }

    @Test
    void execFromANonLeaderThreadGivesOneExecEventAndACleanExit() throws Exception {
        Debuggee d = Debuggee.launch("exec_thread", StopMode.NON_STOP);
        AtomicInteger execs = new AtomicInteger();
        d.attach(e -> {
            execs.incrementAndGet();
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.EXEC));
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(1, execs.get());
    }

    /** All-stop pause/resume-all in a loop until the program ends; returns how many rounds ran. */
    private static int pauseAndResumeUntilExit(Debuggee d) throws Exception {
        int rounds = 0;
        CompletableFuture<ExitStatus> exit = d.process.exited();
        while (!exit.isDone()) {
            try {
                d.process.pause(d.process.pid()).get();
            } catch (ExecutionException gone) {
                break;
            }
            RecordingListener.Event e = d.events.await(RecordingListener.Event.class,
                    x -> x instanceof RecordingListener.Stopped || x instanceof RecordingListener.ProcessEnded);
            if (e instanceof RecordingListener.ProcessEnded) {
                break;
            }
            assertTrue(((RecordingListener.Stopped) e).stop().allThreadsStopped());
            d.process.resumeAll().get();
            rounds++;
        }
        return rounds;
    }

    @Test
    void tenThousandShortLivedThreadsUnderConstantStopAllAndResumeAll() throws Exception {
        Debuggee d = Debuggee.launch("churn_threads", StopMode.ALL_STOP, "10000");
        d.start();
        int rounds = pauseAndResumeUntilExit(d);
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertTrue(rounds > 10, "only " + rounds + " stop-all rounds");
    }

    @Test
    void spawningChildrenDuringStopAllDoesNotHang() throws Exception {
        Debuggee d = Debuggee.launch("forker", StopMode.ALL_STOP, "200");
        d.start();
        int rounds = pauseAndResumeUntilExit(d);
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertTrue(rounds > 0);
    }

    @Test
    void theProgramsOwnSigstopIsNotConfusedWithOurPause() throws Exception {
        Debuggee d = Debuggee.launch("selfstop", StopMode.NON_STOP, "20");
        // The client is not to stop at them (gdb: handle SIGSTOP nostop); they still reach the program.
        d.process.signalPolicy().set(Signal.SIGSTOP.number(), new SignalPolicy.Handling(false, false, true));
        d.process.signalPolicy().set(Signal.SIGCONT.number(), new SignalPolicy.Handling(false, false, true));
        AtomicInteger sigstops = new AtomicInteger();
        d.attach(e -> {
            if (((ThreadEvent.SignalReceived) e).info().signal() == Signal.SIGSTOP.number()) {
                sigstops.incrementAndGet();
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.SIGNAL));
        d.start();
        d.events.await(RecordingListener.Started.class);
        d.events.await(RecordingListener.Started.class);
        // Somebody outside answers each SIGSTOP with SIGCONT, as a shell's fg would. Not while a
        // SIGSTOP is still pending: a SIGCONT discards pending stop signals (signal(7)), and the
        // program would lose that SIGSTOP untraced just the same.
        Thread continuer = new Thread(() -> {
            while (!d.process.exited().isDone()) {
                try {
                    if (!dev.quiesce.linux.ProcFs.hasPendingSignal(d.process.pid(), d.process.pid(), Signal.SIGSTOP.number())) {
                        LibC.kill(d.process.pid(), Signal.SIGCONT.number());
                    }
                } catch (RuntimeException gone) {
                    return;
                }
                LockSupport.parkNanos(500_000);
            }
        });
        continuer.setDaemon(true);
        continuer.start();
        int worker = workerTid(d);
        for (int round = 0; round < 300 && !d.process.exited().isDone(); round++) {
            try {
                d.process.pause(worker).get();
            } catch (ExecutionException gone) {
                break;
            }
            // A pause that lands as the worker exits (the program is done) is no stop.
            RecordingListener.Event e = d.events.await(RecordingListener.Event.class,
                    x -> x instanceof RecordingListener.Stopped || x instanceof RecordingListener.ProcessEnded
                            || x instanceof RecordingListener.Exited gone && gone.tid() == worker);
            if (!(e instanceof RecordingListener.Stopped stopped)) {
                break;
            }
            assertEquals(worker, stopped.stop().tid());
            d.process.resume(worker).get();
        }
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(20, sigstops.get(), "every SIGSTOP of the program reached it, and only those");
    }
}
