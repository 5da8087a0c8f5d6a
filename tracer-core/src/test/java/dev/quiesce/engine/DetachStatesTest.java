package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detach leaves a process in the state it would be in untraced, whatever state it was in. */
class DetachStatesTest {

    /**
     * bp_threads started by a shell of its own, so that we attach to a process we did not launch;
     * ROUNDS of 1 ms keep it alive well past a first attach (a fresh JVM loads JNA and starts the tracer).
     */
    private record Program(Process shell, int pid, Path codeFile) {
        static Program start(Path tmp, int threads, int rounds) throws Exception {
            String args = threads + " 0 " + rounds;
            Path pidFile = tmp.resolve("pid");
            Path codeFile = tmp.resolve("code");
            Process shell = new ProcessBuilder("sh", "-c", "\"$0\" " + args + " > /dev/null & echo $! > \"$1\"; wait $!; echo $? > \"$2\"",
                    TestPrograms.path("bp_threads").toString(), pidFile.toString(), codeFile.toString()).start();
            awaitCondition("the program runs", () -> text(pidFile).endsWith("\n"));
            int pid = Integer.parseInt(text(pidFile).strip());
            awaitCondition("its threads exist", () -> ProcFs.tasks(pid).size() == threads + 1);
            return new Program(shell, pid, codeFile);
        }

        String exitCode() throws InterruptedException {
            assertTrue(shell.waitFor(60, TimeUnit.SECONDS), () -> "the program did not finish; " + Leftover.describe(pid));
            return text(codeFile).strip();
        }

        void end() {
            Leftover.kill(pid);
            shell.destroyForcibly();
        }
    }

    @Test
    void aProcessStoppedByJobControlStaysStoppedAfterDetachAndGoesOnAtSigcont(@TempDir Path tmp) throws Exception {
        Program p = Program.start(tmp, 4, 2000);
        try {
            TracedProcess process = Tracer.shared().attach(p.pid(), StopMode.NON_STOP, new RecordingListener()).get(30, TimeUnit.SECONDS);
            AtomicInteger hits = new AtomicInteger();
            EngineHandle breakpoints = process.attach(e -> {
                hits.incrementAndGet();
                return ResumeAction.RESUME;
            }, EnumSet.of(EventType.BREAKPOINT), 0).get();
            breakpoints.insertBreakpoint(Nm.address(TestPrograms.path("bp_threads"), "hit_me")).get();
            awaitCondition("the breakpoint is hit", () -> hits.get() > 20);
            LibC.kill(p.pid(), Signal.SIGSTOP.number()); // kill -STOP from outside, as a shell's ^Z
            awaitCondition("every thread is in the group-stop", () -> groupStopped(p.pid()));
            process.detach().get(30, TimeUnit.SECONDS);
            awaitCondition("untraced, every thread is stopped (T), as kill -STOP left it", () -> allInState(p.pid(), "T"));
            LibC.kill(p.pid(), Signal.SIGCONT.number());
            assertEquals("0", p.exitCode(), "exit code after SIGCONT (133: SIGTRAP)");
        } finally {
            p.end();
        }
    }

    @Test
    void killAfterDetachFailsInsteadOfWaitingForAnExitThatIsNotOursToSee(@TempDir Path tmp) throws Exception {
        Program p = Program.start(tmp, 2, 2000);
        try {
            TracedProcess process = Tracer.shared().attach(p.pid(), StopMode.NON_STOP, new RecordingListener()).get(30, TimeUnit.SECONDS);
            process.detach().get(30, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> process.kill().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof TracerException && e.getCause().getMessage().contains("detached"), e.toString());
            assertEquals("0", p.exitCode(), "the detached program is not ours to kill");
        } finally {
            p.end();
        }
    }

    /** Every thread stopped, traced (PTRACE_LISTEN shows as 't') or not. */
    private static boolean groupStopped(int pid) {
        return allInState(pid, "t") || allInState(pid, "T");
    }

    private static boolean allInState(int pid, String state) {
        for (int tid : ProcFs.tasks(pid)) {
            String status = text(Path.of("/proc", Integer.toString(pid), "task", Integer.toString(tid), "status"));
            if (!status.contains("\nState:\t" + state + " ")) {
                return false;
            }
        }
        return !ProcFs.tasks(pid).isEmpty();
    }

    private static void awaitCondition(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static String text(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
