package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Breakpoints shared by engines, hit by many threads at once (ARCHITECTURE.md pitfalls). */
class BreakpointEngineTest {

    @Test
    void eightThreadsTimesTenThousandCallsGiveAnExactHitCount() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "8", "10000");
        AtomicInteger hits = new AtomicInteger();
        EngineHandle engine = d.countingBreakpoints(hits);
        engine.insertBreakpoint(d.symbol("hit_me")).get();
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit(), "a wrong result means a skipped or doubled instruction");
        assertEquals(80_000, hits.get());
    }

    @Test
    void deletingTheBreakpointAtTheFirstHitCrashesNobody() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "8", "2000");
        AtomicInteger hits = new AtomicInteger();
        long address = d.symbol("hit_me");
        AtomicReference<EngineHandle> self = new AtomicReference<>();
        EngineHandle engine = d.attach(event -> {
            if (hits.incrementAndGet() == 1) {
                self.get().removeBreakpoint(address); // from the callback: takes effect at once
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT));
        self.set(engine);
        engine.insertBreakpoint(address).get();
        d.start();
        // Traps already taken by other threads when it goes are phantoms: swallowed, not SIGTRAPs.
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertTrue(hits.get() >= 1 && hits.get() <= 8, "hits after removal: " + hits.get());
    }

    @Test
    void twoThreadsHammeringTwoBreakpointsBothGetEveryHit() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "2", "5000");
        Map<Integer, AtomicInteger> perThread = new ConcurrentHashMap<>();
        EngineHandle engine = d.attach(event -> {
            perThread.computeIfAbsent(event.tid(), k -> new AtomicInteger()).incrementAndGet();
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT));
        engine.insertBreakpoint(d.symbol("hit_me")).get();
        engine.insertBreakpoint(d.symbol("other_spot")).get();
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(2, perThread.size(), perThread.toString());
        for (AtomicInteger count : perThread.values()) {
            assertEquals(10_000, count.get(), "each thread hits both breakpoints 5000 times: " + perThread);
        }
    }

    @Test
    void twoEnginesShareOneBreakpointAndEachSeesEveryHit() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "4", "1000");
        AtomicInteger first = new AtomicInteger();
        AtomicInteger second = new AtomicInteger();
        long address = d.symbol("hit_me");
        EngineHandle a = d.countingBreakpoints(first);
        EngineHandle b = d.countingBreakpoints(second);
        a.insertBreakpoint(address).get();
        b.insertBreakpoint(address).get();
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(4000, first.get());
        assertEquals(4000, second.get());
    }

    @Test
    void aWorkerHitsABreakpointAfterMainCalledPthreadExit() throws Exception {
        Debuggee d = Debuggee.launch("zombie_leader", StopMode.NON_STOP);
        AtomicInteger hits = new AtomicInteger();
        EngineHandle engine = d.countingBreakpoints(hits);
        engine.insertBreakpoint(d.symbol("hit_me")).get();
        d.start();
        assertEquals(ExitStatus.exited(7), d.awaitExit());
        assertEquals(1, hits.get());
    }

    @Test
    void forkChildrenRunWithoutOurBreakpointBytes() throws Exception {
        Debuggee d = Debuggee.launch("forker", StopMode.NON_STOP, "20");
        AtomicInteger hits = new AtomicInteger();
        EngineHandle engine = d.countingBreakpoints(hits);
        engine.insertBreakpoint(d.symbol("hit_me")).get();
        d.start();
        // A child that met an int3 of ours would die of SIGTRAP and the program would exit 1.
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(20, hits.get(), "only the parent's calls are ours to see");
    }

    @Test
    void aStoppedThreadShowsThePcOfTheBreakpointAndRunsOnCorrectly() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "1", "3");
        long address = d.symbol("hit_me");
        AtomicReference<EngineHandle> self = new AtomicReference<>();
        java.util.List<Long> pcs = new java.util.concurrent.CopyOnWriteArrayList<>();
        EngineHandle engine = d.attach(event -> {
            pcs.add(self.get().registers(event.tid()).join().rip()); // on the tracer thread: immediate
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT));
        self.set(engine);
        engine.insertBreakpoint(address).get();
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(java.util.List.of(address, address, address), pcs);
    }

    @Test
    void threadsBornWhileAStepOverHoldsEveryoneAreHeldAndHitToo() throws Exception {
        // A new thread's first stop may come before its parent's clone event; either way it
        // must be held during a step-over and must not miss the breakpoint afterwards.
        Debuggee d = Debuggee.launch("churn_threads", StopMode.NON_STOP, "2000");
        AtomicInteger hits = new AtomicInteger();
        EngineHandle engine = d.countingBreakpoints(hits);
        engine.insertBreakpoint(d.symbol("worker_step")).get();
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(2000, hits.get());
    }
}
