package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.linux.FpRegisters;
import dev.quiesce.linux.Registers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Engines attaching, stepping, detaching; attaching to and detaching from a running process. */
class EngineLifecycleTest {

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    /** An engine that stops a thread, then single-steps it {@code limit} times (forever if 0). */
    private static final class Stepper implements Engine {
        final AtomicInteger steps = new AtomicInteger();
        final int limit;

        Stepper(int limit) {
            this.limit = limit;
        }

        @Override
        public ResumeAction report(ThreadEvent event) {
            if (event instanceof ThreadEvent.Stepped) {
                int done = steps.incrementAndGet();
                if (limit > 0 && done >= limit) {
                    return ResumeAction.RESUME;
                }
            }
            return ResumeAction.SINGLESTEP; // the Quiesced that starts it, and every step after
        }
    }

    @Test
    void twoEnginesOnOneThreadEachSeeWhatTheyAskedFor() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "2", "0", "500");
        Set<Integer> exits = ConcurrentHashMap.newKeySet();
        d.attach(e -> {
            exits.add(e.tid());
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.EXIT));
        d.start();
        d.events.await(RecordingListener.Started.class);
        int worker = d.events.await(RecordingListener.Started.class).tid();
        Stepper stepper = new Stepper(500);
        EngineHandle stepping = d.process.attach(stepper, EnumSet.of(EventType.QUIESCE, EventType.STEP), worker).get();
        stepping.stop(worker).get();
        assertEquals(ExitStatus.exited(0), d.awaitExit(), "stepping must not change what the program computes");
        assertEquals(500, stepper.steps.get());
        assertTrue(exits.contains(worker) && exits.contains(d.process.pid()), "exits seen: " + exits);
    }

    @Test
    void detachingTheOnlySteppingEngineMidStepLeavesNoTrapFlag() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "2", "0", "2000");
        d.start();
        d.events.await(RecordingListener.Started.class);
        int worker = d.events.await(RecordingListener.Started.class).tid();
        Stepper stepper = new Stepper(0);
        EngineHandle stepping = d.process.attach(stepper, EnumSet.of(EventType.QUIESCE, EventType.STEP), worker).get();
        stepping.stop(worker).get();
        awaitCondition("the thread has single-stepped a while", () -> stepper.steps.get() > 200);
        stepping.detach().get();
        // A trap flag or a step trap left behind would kill the program with SIGTRAP.
        assertEquals(ExitStatus.exited(0), d.awaitExit());
    }

    @Test
    void registersOfAStoppedThreadAndMemoryWhileRunning() throws Exception {
        Debuggee d = Debuggee.launch("bp_threads", StopMode.NON_STOP, "1", "0", "100000");
        long hitMe = d.symbol("hit_me");
        AtomicReference<EngineHandle> self = new AtomicReference<>();
        AtomicReference<Registers> seen = new AtomicReference<>();
        AtomicReference<FpRegisters> fp = new AtomicReference<>();
        AtomicInteger stoppedTid = new AtomicInteger();
        EngineHandle engine = d.attach(event -> {
            stoppedTid.set(event.tid());
            fp.set(self.get().fpRegisters(event.tid()).join());
            seen.set(self.get().registers(event.tid()).join()); // last: the test waits for it
            return ResumeAction.STOP; // keep it stopped for the test
        }, EnumSet.of(EventType.BREAKPOINT));
        self.set(engine);
        engine.insertBreakpoint(hitMe).get();
        d.start();
        awaitCondition("the breakpoint is hit", () -> seen.get() != null);
        Registers regs = seen.get();
        assertEquals(hitMe, regs.rip());
        assertEquals(0, regs.get("rdi"), "first call is hit_me(0)");
        assertEquals(0, d.counter(0), "the worker is stopped before its first count");
        assertEquals(0, regs.eflags() & Registers.TRAP_FLAG, "no trap flag at a breakpoint stop");
        assertTrue(regs.fsBase() != 0, "fs_base (the thread pointer) is read");
        assertEquals(0x1f80, fp.get().mxcsr() & 0xffff, "default MXCSR");
        // Memory reads and writes through /proc/PID/mem; the int3 is ours, so the byte reads 0xCC.
        assertEquals((byte) 0xCC, d.process.memory().read(hitMe, 1)[0]);
        assertEquals((byte) 0x55, d.process.readMemory(hitMe, 1).get()[0], "clients see the program's byte, not our int3");
        engine.removeBreakpoint(hitMe).get();
        assertEquals((byte) 0x55, d.process.memory().read(hitMe, 1)[0], "push %rbp is back");
        engine.resume(stoppedTid.get(), ResumeAction.RESUME).get();
        awaitCondition("the worker counts again", () -> d.counter(0) >= 5);
        d.process.kill().get();
    }

    @Test
    void attachWithBreakpointsAndAStepThenDetachLeavesTheProcessToFinishNormally(@TempDir Path tmp) throws Exception {
        Path program = TestPrograms.path("bp_threads");
        Path pidFile = tmp.resolve("pid");
        Path codeFile = tmp.resolve("code");
        // Started by a shell of its own: we attach to a process we did not launch, and the shell
        // (its parent) records its exit code after we have detached.
        Process shell = new ProcessBuilder("sh", "-c", "\"$0\" 4 0 4000 > /dev/null & echo $! > \"$1\"; wait $!; echo $? > \"$2\"",
                program.toString(), pidFile.toString(), codeFile.toString()).start();
        awaitCondition("the program runs", () -> Files.exists(pidFile) && fileText(pidFile).endsWith("\n"));
        int pid = Integer.parseInt(fileText(pidFile).strip());
        try {
            attachStepDetachAndAwaitTheEnd(program, pid, shell, codeFile);
        } finally {
            Leftover.kill(pid); // never left behind for CI to wait on
            shell.destroyForcibly();
        }
    }

    private static void attachStepDetachAndAwaitTheEnd(Path program, int pid, Process shell, Path codeFile) throws Exception {
        awaitCondition("its threads exist", () -> dev.quiesce.linux.ProcFs.tasks(pid).size() == 5);

        RecordingListener events = new RecordingListener();
        TracedProcess process = Tracer.shared().attach(pid, StopMode.NON_STOP, events).get(30, TimeUnit.SECONDS);
        assertEquals(5, process.threads().get().size());
        AtomicInteger hits = new AtomicInteger();
        EngineHandle breakpoints = process.attach(e -> {
            hits.incrementAndGet();
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).get();
        breakpoints.insertBreakpoint(Nm.address(program, "hit_me")).get();
        int worker = process.threads().get().stream().mapToInt(ThreadInfo::tid).filter(t -> t != pid).findFirst().orElseThrow();
        Stepper stepper = new Stepper(0);
        EngineHandle stepping = process.attach(stepper, EnumSet.of(EventType.QUIESCE, EventType.STEP), worker).get();
        stepping.stop(worker).get();
        awaitCondition("breakpoints are hit and the worker steps", () -> hits.get() > 100 && stepper.steps.get() > 100);

        process.detach().get(30, TimeUnit.SECONDS);
        // Every thread, not only the leader: one left traced (or stopped) holds the process for good.
        assertTrue(Leftover.untracedAndRunning(pid) || shell.waitFor(0, TimeUnit.SECONDS),
                () -> "after detach: " + Leftover.describe(pid));
        assertTrue(shell.waitFor(120, TimeUnit.SECONDS), () -> "the program did not finish after detach; " + Leftover.describe(pid));
        assertEquals("0", fileText(codeFile).strip(), "exit code after detach (1: a wrong result, 133: SIGTRAP)");
        assertFalse(process.exited().isDone(), "a detached process's exit is not ours to see");
    }

    private static String fileText(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void vectorRegistersComeFromTheXsaveArea() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(fileText(Path.of("/proc/cpuinfo")).contains(" avx "),
                "this CPU has no AVX");
        Debuggee d = Debuggee.launch("vector_regs", StopMode.NON_STOP);
        AtomicReference<EngineHandle> self = new AtomicReference<>();
        AtomicReference<FpRegisters> fp = new AtomicReference<>();
        EngineHandle engine = d.attach(event -> {
            fp.set(self.get().fpRegisters(event.tid()).join());
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT));
        self.set(engine);
        engine.insertBreakpoint(d.symbol("hit_me")).get();
        d.start();
        assertEquals(ExitStatus.exited(0), d.awaitExit());
        assertEquals(2.5, fp.get().xmmDouble(0));
        java.nio.ByteBuffer ymm1 = java.nio.ByteBuffer.wrap(fp.get().ymm(1)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.0, ymm1.getDouble(0));
        assertEquals(2.0, ymm1.getDouble(8));
        assertEquals(3.0, ymm1.getDouble(16), "upper half of ymm1, from the AVX component of XSAVE");
        assertEquals(4.0, ymm1.getDouble(24));
    }
}
