package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * followForks at the engine (issue 18 Part 3): a fork child held traced, then taken in this
 * tracer, handed over through the {@code jmp .} handover, or let go. fork_follow's child calls
 * child_work once and exits 7; the parent prints what its waitpid(WUNTRACED) saw.
 */
class ForkFollowTest {
    private static final long T = Debuggee.TIMEOUT;

    /** The parent's events: the held child's pid, its output, its exit. */
    private static final class Parent implements ProcessListener, OutputListener {
        final CompletableFuture<Integer> child = new CompletableFuture<>();
        final StringBuffer out = new StringBuffer();
        final CompletableFuture<ExitStatus> exit = new CompletableFuture<>();

        @Override
        public void forkChildHeld(TracedProcess parent, int childPid, boolean vfork) {
            child.complete(childPid);
        }

        @Override
        public void output(Stream stream, String text) {
            out.append(text);
        }

        @Override
        public void processExited(TracedProcess process, ExitStatus status) {
            exit.complete(status);
        }
    }

    private record Run(TracedProcess parent, Parent events, Path binary, int child) {
    }

    /** fork_follow with followForks and the parent's own int3 on child_work (its copy in the child must not trap). */
    private static Run forked(AtomicInteger parentHits) throws Exception {
        return forked(parentHits, "fork", true);
    }

    private static Run forked(AtomicInteger parentHits, String mode, boolean follow) throws Exception {
        Path binary = TestPrograms.path("fork_follow");
        Parent events = new Parent();
        LaunchSpec spec = new LaunchSpec(binary, List.of(mode), binary.getParent(), System.getenv(), true, StopMode.NON_STOP);
        TracedProcess parent = Tracer.shared().launch(spec, events, events).get(T, TimeUnit.SECONDS);
        parent.followForks(follow);
        EngineHandle bp = parent.attach(e -> {
            parentHits.incrementAndGet();
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).get(T, TimeUnit.SECONDS);
        bp.insertBreakpoint(Nm.address(binary, "child_work")).get(T, TimeUnit.SECONDS);
        parent.start().get(T, TimeUnit.SECONDS);
        int child = follow ? events.child.get(T, TimeUnit.SECONDS) : 0;
        return new Run(parent, events, binary, child);
    }

    /** A breakpoint of the child's own on child_work, counted; then the child runs. */
    private static AtomicInteger runChild(TracedProcess child, Path binary) throws Exception {
        AtomicInteger hits = new AtomicInteger();
        EngineHandle bp = child.attach(e -> {
            hits.incrementAndGet();
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).get(T, TimeUnit.SECONDS);
        bp.insertBreakpoint(Nm.address(binary, "child_work")).get(T, TimeUnit.SECONDS);
        child.start().get(T, TimeUnit.SECONDS);
        return hits;
    }

    @Test
    void aHeldChildIsTakenByASessionOfThisTracerAndHitsItsOwnBreakpoint() throws Exception {
        AtomicInteger parentHits = new AtomicInteger();
        Run run = forked(parentHits);
        assertTrue(tracerPid(run.child()) > 0, "held: still traced");
        TracedProcess child = Tracer.shared().adoptForkChild(run.child(), StopMode.NON_STOP, new ProcessListener() {
        }).get(T, TimeUnit.SECONDS);
        AtomicInteger childHits = runChild(child, run.binary());
        assertEquals(ExitStatus.exited(7), child.exited().get(T, TimeUnit.SECONDS), "the child's exit, seen by its tracer");
        assertEquals(ExitStatus.exited(0), run.events().exit.get(T, TimeUnit.SECONDS));
        run.parent().outputFinished().get(T, TimeUnit.SECONDS);
        assertEquals(1, childHits.get(), "the child session's own breakpoint in child_work");
        assertEquals(0, parentHits.get(), "the parent never runs child_work; its int3 was not in the child's copy");
        String out = run.events().out.toString();
        assertTrue(out.contains("child says 7\n"), out);
        assertTrue(out.contains("parent: child exit=7 stops=0\n"), "the parent's waitpid sees the real exit, no stop: " + out);
    }

    @Test
    void aCloneWithoutCloneVmIsAChildProcessTooNotAThreadOfTheParent() throws Exception {
        // clone(fn, stack, 0, ...): the kernel reports a CLONE event; the child has its own memory.
        AtomicInteger parentHits = new AtomicInteger();
        Run run = forked(parentHits, "clone", true);
        TracedProcess child = Tracer.shared().adoptForkChild(run.child(), StopMode.NON_STOP, new ProcessListener() {
        }).get(T, TimeUnit.SECONDS);
        AtomicInteger childHits = runChild(child, run.binary());
        assertEquals(ExitStatus.exited(7), child.exited().get(T, TimeUnit.SECONDS));
        assertEquals(ExitStatus.exited(0), run.events().exit.get(T, TimeUnit.SECONDS));
        run.parent().outputFinished().get(T, TimeUnit.SECONDS);
        assertEquals(1, childHits.get());
        assertEquals(0, parentHits.get(), "the cloned child's stops are not the parent's");
        assertTrue(run.events().out.toString().contains("parent: child exit=7 stops=0\n"), run.events().out.toString());
    }

    @Test
    void withoutFollowForksACloneWithoutCloneVmIsDetachedCleanLikeAFork() throws Exception {
        AtomicInteger parentHits = new AtomicInteger();
        Run run = forked(parentHits, "clone", false);
        assertEquals(ExitStatus.exited(0), run.events().exit.get(T, TimeUnit.SECONDS));
        run.parent().outputFinished().get(T, TimeUnit.SECONDS);
        assertFalse(run.events().child.isDone(), "not offered");
        assertEquals(0, parentHits.get(), "its copy had no int3 of the parent's, and it was no thread of the parent's");
        assertTrue(run.events().out.toString().contains("child says 7\nparent: child exit=7 stops=0\n"), run.events().out.toString());
    }

    @Test
    void aHandedOverChildSpinsInvisiblyUntilItsNewTracerRestoresIt() throws Exception {
        AtomicInteger parentHits = new AtomicInteger();
        Run run = forked(parentHits);
        ForkHandover handover = Tracer.shared().handOverForkChild(run.child()).get(T, TimeUnit.SECONDS);
        assertEquals(0, tracerPid(run.child()), "handed over: detached, spinning on jmp .");
        assertEquals(List.of((byte) 0xEB, (byte) 0xFE), bytesAt(run.child(), handover.pc()), "the child's next instruction is jmp .");
        assertEquals("R", state(run.child()), "running (spinning), not in a job-control stop");
        // The receiver (here the same tracer, as another adapter process would) seizes it and writes the bytes back.
        ForkHandover wire = ForkHandover.decode(handover.encode());
        TracedProcess child = Tracer.shared().takeOverForkChild(wire, false, StopMode.NON_STOP, new ProcessListener() {
        }).get(T, TimeUnit.SECONDS);
        assertEquals(listOf(handover.original()), bytesAt(run.child(), handover.pc()), "its own code back");
        AtomicInteger childHits = runChild(child, run.binary());
        assertEquals(ExitStatus.exited(7), child.exited().get(T, TimeUnit.SECONDS));
        assertEquals(ExitStatus.exited(0), run.events().exit.get(T, TimeUnit.SECONDS));
        run.parent().outputFinished().get(T, TimeUnit.SECONDS);
        assertEquals(1, childHits.get());
        assertTrue(run.events().out.toString().contains("parent: child exit=7 stops=0\n"), run.events().out.toString());
        assertFalse(Tracer.shared().recoverForkChild(wire).get(T, TimeUnit.SECONDS), "gone: nothing to recover");
    }

    @Test
    void aHandoverNobodyCompletesIsRecoveredAndTheChildRunsOnClean() throws Exception {
        Run run = forked(new AtomicInteger());
        ForkHandover handover = Tracer.shared().handOverForkChild(run.child()).get(T, TimeUnit.SECONDS);
        assertTrue(Tracer.shared().recoverForkChild(handover).get(T, TimeUnit.SECONDS));
        assertEquals(ExitStatus.exited(0), run.events().exit.get(T, TimeUnit.SECONDS));
        run.parent().outputFinished().get(T, TimeUnit.SECONDS);
        String out = run.events().out.toString();
        assertTrue(out.contains("child says 7\n") && out.contains("parent: child exit=7 stops=0\n"), out);
    }

    @Test
    void aReleasedChildRunsOnUntracedWithoutTheParentsInt3() throws Exception {
        AtomicInteger parentHits = new AtomicInteger();
        Run run = forked(parentHits);
        assertTrue(Tracer.shared().releaseForkChild(run.child()).get(T, TimeUnit.SECONDS));
        assertFalse(Tracer.shared().releaseForkChild(run.child()).get(T, TimeUnit.SECONDS), "released once");
        assertEquals(ExitStatus.exited(0), run.events().exit.get(T, TimeUnit.SECONDS));
        run.parent().outputFinished().get(T, TimeUnit.SECONDS);
        assertTrue(run.events().out.toString().contains("parent: child exit=7 stops=0\n"), run.events().out.toString());
        assertEquals(0, parentHits.get());
    }

    private static int tracerPid(int pid) throws Exception {
        return java.nio.file.Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("TracerPid:")).map(l -> Integer.parseInt(l.substring(10).strip())).findFirst().orElse(-1);
    }

    private static String state(int pid) throws Exception {
        return java.nio.file.Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("State:")).map(l -> l.substring(6).strip().substring(0, 1)).findFirst().orElse("?");
    }

    private static List<Byte> bytesAt(int pid, long address) throws Exception {
        try (dev.quiesce.linux.ProcessMemory m = new dev.quiesce.linux.ProcessMemory(pid)) {
            return listOf(m.read(address, 2));
        }
    }

    private static List<Byte> listOf(byte[] bytes) {
        return List.of(bytes[0], bytes[1]);
    }
}
