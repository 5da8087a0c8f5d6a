package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Two sessions on one process (PRODUCT.md, "Attach request"): a second attach to a process the
 * tracer already debugs is one more client view, and the utrace rule holds between them: a
 * thread runs only when no session holds it; one session's stops are not the other's; a
 * session's detach removes only its engines and holds.
 */
class MultiSessionEngineTest {
    private static final long T = Debuggee.TIMEOUT;

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** The tid of the n-th worker thread (1-based; the main thread is not one). */
    private static int worker(Debuggee d, int n) throws Exception {
        return d.process.threads().get(T, TimeUnit.SECONDS).stream().mapToInt(ThreadInfo::tid)
                .filter(tid -> tid != d.process.pid()).skip(n - 1).findFirst().orElseThrow();
    }

    /** Waits until the thread is seen out of its ptrace stop (running or in its nanosleep). */
    private static void awaitRunning(int pid, int tid, String what) {
        awaitCondition(what, () -> {
            try {
                return kernelState(pid, tid) != 't';
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** The kernel's state letter of a thread (/proc/PID/task/TID/stat): 't' is a ptrace stop. */
    private static char kernelState(int pid, int tid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "stat"));
        return stat.charAt(stat.lastIndexOf(')') + 2);
    }

    /**
     * Waits until the raw byte (int3s included) is our int3: a thread stepping over it lifts it
     * for a moment, so one read may miss it; a breakpoint that is gone never shows it.
     */
    private static void awaitInt3(Debuggee d, long address, String what) {
        awaitCondition(what, () -> d.process.memory().read(address, 1)[0] == (byte) 0xCC);
    }

    private static Debuggee startWorkers() throws Exception {
        // 4 threads calling hit_me() once a millisecond for ~15 minutes
        Debuggee a = Debuggee.launch("bp_threads", StopMode.NON_STOP, "4", "0", "1000000");
        a.start();
        for (int i = 0; i < 5; i++) {
            a.events.await(RecordingListener.Started.class);
        }
        return a;
    }

    private static long stopsOf(RecordingListener events) {
        return events.all.stream().filter(e -> e instanceof RecordingListener.Stopped).count();
    }

    @Test
    void aThreadRunsOnlyWhenNeitherSessionHoldsIt() throws Exception {
        Debuggee a = startWorkers();
        int pid = a.process.pid();
        RecordingListener bEvents = new RecordingListener();
        TracedProcess b = Tracer.shared().attach(pid, StopMode.NON_STOP, bEvents).get(T, TimeUnit.SECONDS);
        try {
            assertNotSame(a.process, b);
            assertFalse(b.launched(), "the second session attached; it did not launch");
            assertEquals(a.process.threads().get().stream().map(ThreadInfo::tid).toList(),
                    b.threads().get().stream().map(ThreadInfo::tid).toList(), "both sessions see the same threads");
            int w1 = worker(a, 1);

            b.pause(w1).get(T, TimeUnit.SECONDS);
            assertEquals(w1, bEvents.await(RecordingListener.Stopped.class).stop().tid());
            assertTrue(b.isStopped(w1).get());
            assertFalse(a.process.isStopped(w1).get(), "a stop B caused is not A's");
            assertFalse(a.process.threads().get().stream().filter(t -> t.tid() == w1).findFirst().orElseThrow().stopped());
            a.process.resume(w1).get(T, TimeUnit.SECONDS); // A never stopped it: nothing to resume
            assertEquals('t', kernelState(pid, w1), "A's continue does not release B's stop");
            assertTrue(b.isStopped(w1).get());

            a.process.pause(w1).get(T, TimeUnit.SECONDS); // held by B already: A's stop is at once
            assertEquals(w1, a.events.await(RecordingListener.Stopped.class).stop().tid());
            b.resume(w1).get(T, TimeUnit.SECONDS);
            assertEquals('t', kernelState(pid, w1), "A still holds it");
            a.process.resume(w1).get(T, TimeUnit.SECONDS);
            awaitRunning(pid, w1, "the worker runs again once neither holds it");
            assertEquals(1, stopsOf(a.events), "A heard only of its own stop");
            assertEquals(1, stopsOf(bEvents), "B heard only of its own stop");
        } finally {
            a.process.kill().get(T, TimeUnit.SECONDS);
        }
        assertTrue(bEvents.all.stream().anyMatch(e -> e instanceof RecordingListener.ProcessEnded), "B hears of the exit too");
    }

    @Test
    void detachingOneSessionLeavesTheOtherAndItsBreakpoint() throws Exception {
        Debuggee a = startWorkers();
        int pid = a.process.pid();
        long checkpoint = a.symbol("hit_me");
        byte original = a.process.memory().read(checkpoint, 1)[0];
        int w2 = worker(a, 2);
        int w3 = worker(a, 3);
        a.process.pause(w3).get(T, TimeUnit.SECONDS); // A holds worker-3 while B attaches
        assertEquals(w3, a.events.await(RecordingListener.Stopped.class).stop().tid());

        RecordingListener bEvents = new RecordingListener();
        TracedProcess b = Tracer.shared().attach(pid, StopMode.NON_STOP, bEvents).get(T, TimeUnit.SECONDS);
        try {
            assertFalse(b.threads().get().stream().filter(t -> t.tid() == w3).findFirst().orElseThrow().stopped(),
                    "B attached to a thread A holds: B did not stop it");
            assertTrue(a.process.isStopped(w3).get());

            AtomicInteger aHits = new AtomicInteger();
            AtomicInteger bHits = new AtomicInteger();
            EngineHandle aBreak = a.process.attach(e -> {
                aHits.incrementAndGet();
                return ResumeAction.RESUME;
            }, EnumSet.of(EventType.BREAKPOINT), 0).get(T, TimeUnit.SECONDS);
            EngineHandle bBreak = b.attach(e -> {
                bHits.incrementAndGet();
                return ResumeAction.RESUME;
            }, EnumSet.of(EventType.BREAKPOINT), 0).get(T, TimeUnit.SECONDS);
            aBreak.insertBreakpoint(checkpoint).get(T, TimeUnit.SECONDS);
            bBreak.insertBreakpoint(checkpoint).get(T, TimeUnit.SECONDS);
            awaitInt3(a, checkpoint, "one int3 for both");
            awaitCondition("both sessions' engines hear the hits", () -> aHits.get() >= 2 && bHits.get() >= 2);

            b.pause(w2).get(T, TimeUnit.SECONDS);
            assertEquals(w2, bEvents.await(RecordingListener.Stopped.class).stop().tid());
            b.detach().get(T, TimeUnit.SECONDS);

            awaitInt3(a, checkpoint, "A's breakpoint stays after B's detach");
            int aSoFar = aHits.get();
            awaitCondition("A's breakpoint still hits", () -> aHits.get() > aSoFar + 1);
            awaitRunning(pid, w2, "the worker held only by B runs after B's detach");
            assertFalse(a.process.isStopped(w2).get());
            assertTrue(a.process.isStopped(w3).get(), "A's own hold is untouched");
            assertEquals('t', kernelState(pid, w3));
            assertFalse(b.detach().handle((ok, failure) -> failure == null).get(), "B no longer debugs it");

            aBreak.removeBreakpoint(checkpoint).get(T, TimeUnit.SECONDS);
            assertEquals(original, a.process.memory().read(checkpoint, 1)[0], "the last owner's removal restores the byte");
            a.process.resume(w3).get(T, TimeUnit.SECONDS);
            awaitRunning(pid, w3, "the worker A held runs once A resumes it");
            assertTrue(ProcFs.tasks(pid).size() >= 5);
        } finally {
            a.process.kill().get(T, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLastSessionsDetachStillLeavesTheProcessUntraced() throws Exception {
        Debuggee a = startWorkers();
        int pid = a.process.pid();
        TracedProcess b = Tracer.shared().attach(pid, StopMode.NON_STOP, new RecordingListener()).get(T, TimeUnit.SECONDS);
        b.detach().get(T, TimeUnit.SECONDS);
        List<Integer> tids = ProcFs.tasks(pid);
        for (int tid : tids) {
            assertFalse(Files.readString(Path.of("/proc", "" + pid, "task", "" + tid, "status")).contains("TracerPid:\t0"),
                    "still traced by us through A");
        }
        a.process.detach().get(T, TimeUnit.SECONDS);
        for (int tid : tids) {
            assertTrue(Files.readString(Path.of("/proc", "" + pid, "task", "" + tid, "status")).contains("TracerPid:\t0"),
                    "untraced after the last session's detach");
        }
        dev.quiesce.linux.LibC.kill(pid, dev.quiesce.linux.Signal.SIGKILL.number());
    }

    private static final SignalPolicy.Handling QUIET_PASS = new SignalPolicy.Handling(false, false, true);

    /** signals.c raises SIGUSR1, SIGUSR2, SIGHUP and exits with how many reached its handler. */
    private static Debuggee signalsProgram() throws Exception {
        Debuggee a = Debuggee.launch("signals", StopMode.NON_STOP);
        for (Signal s : List.of(Signal.SIGUSR1, Signal.SIGUSR2, Signal.SIGHUP)) {
            a.process.signalPolicy().set(s.number(), QUIET_PASS);
        }
        return a;
    }

    @Test
    void oneSessionsNoPassKeepsTheSignalFromTheProgram() throws Exception {
        Debuggee a = signalsProgram();
        TracedProcess b = Tracer.shared().attach(a.process.pid(), StopMode.NON_STOP, new RecordingListener())
                .get(T, TimeUnit.SECONDS); // while the program is held at its exec
        b.signalPolicy().set(Signal.SIGUSR1.number(), QUIET_PASS);
        b.signalPolicy().set(Signal.SIGUSR2.number(), QUIET_PASS);
        b.signalPolicy().set(Signal.SIGHUP.number(), new SignalPolicy.Handling(false, false, false));
        a.start();
        assertEquals(ExitStatus.exited(2), a.awaitExit(), "A passes SIGHUP, B does not: B's decision keeps it");
    }

    @Test
    void anEnginesAnswerDecidesWhetherTheSignalIsDelivered() throws Exception {
        Debuggee a = signalsProgram();
        a.process.attach(new Engine() {
            @Override
            public ResumeAction report(ThreadEvent event) {
                return ResumeAction.RESUME;
            }

            @Override
            public boolean delivers(int tid, int signal) {
                return signal != Signal.SIGUSR1.number() && signal != Signal.SIGUSR2.number();
            }
        }, EnumSet.of(EventType.SIGNAL), 0).get(T, TimeUnit.SECONDS);
        a.start();
        assertEquals(ExitStatus.exited(1), a.awaitExit(), "only SIGHUP reached the handler");
    }

    /** The permissions of the mapping holding {@code address} ("rw-p"), from /proc/PID/maps. */
    private static String permissions(int pid, long address) {
        for (ProcFs.Mapping m : ProcFs.maps(pid)) {
            if (m.start() <= address && address < m.end()) {
                return m.permissions();
            }
        }
        return "unmapped";
    }

    @Test
    void aLeavingSessionsDataBreakpointsLeaveWithItAndAreNotTheOthersMeanwhile() throws Exception {
        Debuggee a = startWorkers();
        int pid = a.process.pid();
        long counters = a.symbol("counters");
        String programs = permissions(pid, counters);
        TracedProcess b = Tracer.shared().attach(pid, StopMode.NON_STOP, new RecordingListener()).get(T, TimeUnit.SECONDS);
        try {
            AtomicInteger bAccesses = new AtomicInteger();
            EngineHandle bWatch = b.attach(e -> {
                bAccesses.incrementAndGet();
                return ResumeAction.RESUME;
            }, EnumSet.of(EventType.PAGE_ACCESS), 0).get(T, TimeUnit.SECONDS);
            b.trapPageAccesses(bWatch, List.of(new MemoryRange(counters, 8)), false).get(T, TimeUnit.SECONDS);
            awaitCondition("B's trap takes the write permission off the page", () -> permissions(pid, counters).startsWith("r-"));
            b.setHardwareWatchpoints(List.of(new HardwareWatch(counters, 8, false))).get(T, TimeUnit.SECONDS);

            EngineHandle aWatch = a.process.attach(e -> ResumeAction.RESUME, EnumSet.of(EventType.PAGE_ACCESS), 0).get(T, TimeUnit.SECONDS);
            for (java.util.concurrent.CompletableFuture<Void> refused : List.of(
                    a.process.trapPageAccesses(aWatch, List.of(new MemoryRange(counters + 8, 8)), false),
                    a.process.setHardwareWatchpoints(List.of(new HardwareWatch(counters + 8, 8, false))))) {
                String message = refused.handle((ok, failure) -> failure == null ? "accepted" : failure.getMessage()).get(T, TimeUnit.SECONDS);
                assertTrue(message.contains("another client"), message);
            }
            a.process.trapPageAccesses(aWatch, List.of(), false).get(T, TimeUnit.SECONDS); // A's "none" leaves B's alone
            int soFar = bAccesses.get();
            awaitCondition("B's trap is not A's to release: B still hears the workers' writes", () -> bAccesses.get() > soFar + 3);

            b.detach().get(T, TimeUnit.SECONDS);
            awaitCondition("the page has the program's protection back once B leaves", () -> permissions(pid, counters).equals(programs));
            long faults = a.process.pageTrapFaults();
            long counted = a.process.memory().readLong(counters);
            awaitCondition("worker 0 writes its counter 20 more times", () -> a.process.memory().readLong(counters) > counted + 20);
            assertEquals(faults, a.process.pageTrapFaults(), "no write faults once B's traps are gone");
            a.process.setHardwareWatchpoints(List.of(new HardwareWatch(counters, 8, false))).get(T, TimeUnit.SECONDS); // free now
            a.process.setHardwareWatchpoints(List.of()).get(T, TimeUnit.SECONDS);
        } finally {
            a.process.kill().get(T, TimeUnit.SECONDS);
        }
    }
}
