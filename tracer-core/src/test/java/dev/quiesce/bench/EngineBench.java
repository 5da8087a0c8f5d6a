package dev.quiesce.bench;

import dev.quiesce.engine.Engine;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ExitStatus;
import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.Nm;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import dev.quiesce.linux.ProcFs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Issue 3's benchmark: the engine against a raw ptrace loop in C (bench/raw_ptrace_loop.c) doing
 * the same work on the same program, in one run. Each figure is the median of RUNS runs.
 * Run it with bench/run.
 */
public final class EngineBench {
    private static final int RUNS = 5;
    private static final int HITS = 20_000;
    private static final int STEPS = 20_000;
    private static final int STOP_ROUNDS = 500;

    private final Path programs = Path.of(System.getProperty("quiesce.testprograms.dir"));
    private final Path rawLoop = Path.of(System.getProperty("quiesce.bench.rawloop"));

    public static void main(String[] args) throws Exception {
        new EngineBench().run();
        System.exit(0);
    }

    private void run() throws Exception {
        if (Boolean.getBoolean("quiesce.bench.syscallsOnly")) {
            syscallCatch();
            return;
        }
        Path bpSingle = programs.resolve("bp_single");
        long hitMe = Nm.address(bpSingle, "hit_me");
        long counters = Nm.address(bpSingle, "counters");
        List<String[]> rows = new ArrayList<>();

        double oursHit = median(() -> oursBreakpoint(bpSingle, hitMe, counters));
        double cHit = median(() -> raw("bp", "0x" + Long.toHexString(hitMe), "0x" + Long.toHexString(counters),
                bpSingle.toString(), Integer.toString(HITS)));
        rows.add(row("breakpoint hit: read a word, step over, continue (us/hit)", oursHit, cHit));

        double oursStep = median(() -> oursStep(bpSingle));
        double cStep = median(() -> raw("step", Integer.toString(STEPS), bpSingle.toString(), "100000000"));
        rows.add(row("single-step (us/step)", oursStep, cStep));

        for (int threads : new int[] {8, 64}) {
            double ours = median(() -> oursStopAll(threads));
            double c = median(() -> rawStopAll(threads));
            rows.add(row("stop-all + resume-all, " + threads + " threads (us/round)", ours, c));
        }
        print(rows);
        syscallCatch();
    }

    /**
     * Issue 7's row: catch the write that follows 200,000 getppid calls, time from start to the
     * stop, against gdb (catch syscall write) and strace (-e trace=write), whole runs included.
     */
    private void syscallCatch() throws Exception {
        Path program = programs.resolve("getppid_loop");
        int runs = 3;
        double ours = median(runs, () -> oursCatch(program));
        double gdb = median(runs, () -> timed("gdb", "-batch", "-nx", "-ex", "catch syscall write", "-ex", "run",
                "-ex", "kill", program.toString()));
        double strace = median(runs, () -> timed("strace", "-f", "-e", "trace=write", "-o", "/dev/null", program.toString()));
        String format = "| %-58s | %10s | %12s | %9s |%n";
        System.out.println();
        System.out.printf(format, "catch write after 200,000 getppid (ms, median of " + runs + ")", "Quiesce", "gdb -batch", "strace");
        System.out.printf(format, "-".repeat(58), "-".repeat(10), "-".repeat(12), "-".repeat(9));
        System.out.printf(format, "time to the stop (strace: whole run)", String.format("%.0f", ours),
                String.format("%.0f", gdb), String.format("%.0f", strace));
        System.out.printf(format, "ratio to gdb", String.format("%.3fx", ours / gdb), "1.000x", String.format("%.3fx", strace / gdb));
    }

    private double oursCatch(Path program) throws Exception {
        CountDownLatch stopped = new CountDownLatch(1);
        long t0 = System.nanoTime();
        // As a DAP launch with "catchSyscalls": ["write"] does: through the seccomp filter.
        LaunchSpec spec = new LaunchSpec(program, List.of(), program.getParent(), System.getenv(), true,
                StopMode.NON_STOP, java.util.Set.of(1L));
        TracedProcess p = Tracer.shared().launch(spec, new ProcessListener() {
            @Override
            public void threadStopped(TracedProcess process, dev.quiesce.engine.ThreadStop stop) {
                stopped.countDown();
            }
        }, (s, t) -> { }).get(30, TimeUnit.SECONDS);
        p.catchSyscalls(java.util.Set.of(1L)).get(); // write
        p.start().get();
        check(stopped.await(120, TimeUnit.SECONDS), "the write catchpoint did not stop");
        long t1 = System.nanoTime();
        p.kill().get(30, TimeUnit.SECONDS);
        return (t1 - t0) / 1e6;
    }

    private static double timed(String... command) throws Exception {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        check(p.waitFor(300, TimeUnit.SECONDS), command[0] + " did not finish");
        return (System.nanoTime() - t0) / 1e6;
    }

    // ---- ours ----

    private static TracedProcess launch(Path program, String... args) throws Exception {
        LaunchSpec spec = new LaunchSpec(program, List.of(args), program.getParent(), System.getenv(), true, StopMode.NON_STOP);
        return Tracer.shared().launch(spec, new ProcessListener() { }, (s, t) -> { }).get(30, TimeUnit.SECONDS);
    }

    private double oursBreakpoint(Path program, long hitMe, long counters) throws Exception {
        TracedProcess p = launch(program, Integer.toString(HITS));
        AtomicLong sink = new AtomicLong();
        EngineHandle engine = p.attach(event -> {
            sink.addAndGet(p.memory().readLong(counters)); // read one word, like the C loop
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).get();
        engine.insertBreakpoint(hitMe).get();
        long t0 = System.nanoTime();
        p.start().get();
        ExitStatus status = p.exited().get(120, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        check(status.code() == 0 && !status.killedBySignal(), "bp_single failed under the engine: " + status);
        return (t1 - t0) / 1e3 / HITS;
    }

    private double oursStep(Path program) throws Exception {
        TracedProcess p = launch(program, "100000000");
        CountDownLatch done = new CountDownLatch(1);
        AtomicLong steps = new AtomicLong();
        AtomicLong end = new AtomicLong();
        Engine stepper = event -> {
            if (steps.incrementAndGet() == STEPS) {
                end.set(System.nanoTime());
                done.countDown();
                return ResumeAction.STOP;
            }
            return ResumeAction.SINGLESTEP;
        };
        EngineHandle engine = p.attach(stepper, EnumSet.of(EventType.STEP), p.pid()).get();
        engine.resume(p.pid(), ResumeAction.SINGLESTEP).get();
        long t0 = System.nanoTime();
        p.start().get();
        check(done.await(120, TimeUnit.SECONDS), "stepping did not finish");
        p.kill().get();
        return (end.get() - t0) / 1e3 / STEPS;
    }

    /**
     * Starts the threads program as an orphan (a shell's background job), not as our child: the
     * JDK's reaper would otherwise wait on it and swallow ptrace stops (ARCHITECTURE.md fact 2).
     */
    private int startOrphan(int threads) throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "\"$0\" \"$1\" > /dev/null 2>&1 & echo $!",
                programs.resolve("threads").toString(), Integer.toString(threads)).start();
        String pid = new String(shell.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        shell.waitFor();
        int target = Integer.parseInt(pid);
        awaitThreads(target, threads + 1);
        return target;
    }

    private static void killOrphan(int pid) {
        dev.quiesce.linux.LibC.kill(pid, dev.quiesce.linux.Signal.SIGKILL.number());
    }

    private double oursStopAll(int threads) throws Exception {
        int target = startOrphan(threads);
        try {
            TracedProcess p = Tracer.shared().attach(target, StopMode.NON_STOP, new ProcessListener() { })
                    .get(30, TimeUnit.SECONDS);
            CountDownLatch[] latch = new CountDownLatch[1];
            EngineHandle engine = p.attach(event -> {
                if (event instanceof ThreadEvent.Quiesced) {
                    latch[0].countDown();
                    return ResumeAction.STOP;
                }
                return ResumeAction.RESUME;
            }, EnumSet.of(EventType.QUIESCE), 0).get();
            long t0 = System.nanoTime();
            for (int round = 0; round < STOP_ROUNDS; round++) {
                latch[0] = new CountDownLatch(threads + 1);
                engine.stopAll().get();
                check(latch[0].await(30, TimeUnit.SECONDS), "stop-all did not complete");
                engine.resumeAll(ResumeAction.RESUME).get();
            }
            long t1 = System.nanoTime();
            p.detach().get(30, TimeUnit.SECONDS);
            return (t1 - t0) / 1e3 / STOP_ROUNDS;
        } finally {
            killOrphan(target);
        }
    }

    // ---- the C baseline ----

    private double raw(String... args) throws Exception {
        return RawPtraceLoop.microsPerUnit(rawLoop, args);
    }

    private double rawStopAll(int threads) throws Exception {
        int target = startOrphan(threads);
        try {
            return raw("stopall", Integer.toString(STOP_ROUNDS), Integer.toString(target));
        } finally {
            killOrphan(target);
        }
    }

    // ---- plumbing ----

    private static void awaitThreads(long pid, int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ProcFs.tasks((int) pid).size() < count) {
            check(System.nanoTime() < deadline, "the target's threads did not start");
            LockSupport.parkNanos(1_000_000);
        }
    }

    private interface Measurement {
        double run() throws Exception;
    }

    private static double median(Measurement m) throws Exception {
        return median(RUNS, m);
    }

    private static double median(int runs, Measurement m) throws Exception {
        double[] values = new double[runs];
        for (int i = 0; i < runs; i++) {
            values[i] = m.run();
        }
        Arrays.sort(values);
        return values[runs / 2];
    }

    private static String[] row(String what, double ours, double baseline) {
        return new String[] {what, String.format("%.1f", ours), String.format("%.1f", baseline),
                String.format("%.2fx", ours / baseline)};
    }

    private static void print(List<String[]> rows) {
        String format = "| %-58s | %10s | %12s | %9s |%n";
        System.out.printf(format, "measurement (median of " + RUNS + ")", "Quiesce", "raw C loop", "ratio");
        System.out.printf(format, "-".repeat(58), "-".repeat(10), "-".repeat(12), "-".repeat(9));
        for (String[] r : rows) {
            System.out.printf(format, (Object[]) r);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

}
