package dev.quiesce.bench;

import dev.quiesce.debugger.ExpressionConditions;
import dev.quiesce.debugger.StackWalker;
import dev.quiesce.debugger.StepKind;
import dev.quiesce.debugger.Stepping;
import dev.quiesce.debugger.UserBreakpoint;
import dev.quiesce.debugger.UserBreakpoints;
import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Issue 6's rows, in one run: (1) {@code next} over a one-line loop of 1,000,000 iterations
 * (sym_c 1000, src/sym_main.c:30) vs gdb -batch; (2) a conditional breakpoint false 19,999 times
 * and true once (hit_me in bp_single, {@code x == 19999}): time per hit vs gdb and vs the raw C
 * ptrace loop reading a word at each hit. Medians of RUNS; gdb's stepping is cut off at
 * GDB_LIMIT seconds. Ours runs once untimed first: a server's code is warm (JIT-compiled) after
 * its first session; the first, cold run is printed too.
 */
public final class SteppingBench {
    private static final int RUNS = 5;
    private static final int HITS = 20_000;
    private static final long GDB_LIMIT_SECONDS = 60;

    private final Path programs = Path.of(System.getProperty("quiesce.testprograms.dir"));
    private final Path rawLoop = Path.of(System.getProperty("quiesce.bench.rawloop"));
    private final String mainC = programs.resolve("../../src/sym_main.c").normalize().toString();

    public static void main(String[] args) throws Exception {
        new SteppingBench().run();
        System.exit(0);
    }

    private void run() throws Exception {
        Path symC = programs.resolve("sym_c");
        Path bpSingle = programs.resolve("bp_single");
        double coldNext = oursNext(symC);
        double coldConditional = oursConditional(bpSingle);
        List<Double> oursNext = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            oursNext.add(oursNext(symC));
        }
        // gdb: the same session with and without the final "next"; the difference is the next.
        double gdbToLine = median(List.of(gdb(GDB_LIMIT_SECONDS, "-ex", "break sym_main.c:30", "-ex", "run", "-ex", "kill",
                "--args", symC.toString(), "1000")));
        double gdbWithNext = gdb(GDB_LIMIT_SECONDS, "-ex", "break sym_main.c:30", "-ex", "run", "-ex", "next", "-ex", "kill",
                "--args", symC.toString(), "1000");
        String gdbNext = Double.isNaN(gdbWithNext) ? "> " + GDB_LIMIT_SECONDS + " s (cut off)"
                : String.format("%.3f s", (gdbWithNext - gdbToLine) / 1000);

        List<Double> oursCond = new ArrayList<>();
        List<Double> gdbCond = new ArrayList<>();
        List<Double> rawCond = new ArrayList<>();
        long hitMe = dev.quiesce.engine.Nm.address(bpSingle, "hit_me");
        long counters = dev.quiesce.engine.Nm.address(bpSingle, "counters");
        for (int i = 0; i < RUNS; i++) {
            oursCond.add(oursConditional(bpSingle));
            double with = gdb(300, "-ex", "break hit_me if x == 19999", "-ex", "run", "-ex", "kill",
                    "--args", bpSingle.toString(), Integer.toString(HITS));
            double without = gdb(300, "-ex", "run", "--args", bpSingle.toString(), Integer.toString(HITS));
            gdbCond.add((with - without) * 1000 / HITS);
            rawCond.add(raw("bp", "0x" + Long.toHexString(hitMe), "0x" + Long.toHexString(counters),
                    bpSingle.toString(), Integer.toString(HITS)));
        }
        String format = "| %-64s | %12s | %22s | %12s |%n";
        System.out.println();
        System.out.printf(format, "stepping and conditional breakpoints (median of " + RUNS + ")", "Quiesce", "gdb -batch", "raw C loop");
        System.out.printf(format, "-".repeat(64), "-".repeat(12), "-".repeat(22), "-".repeat(12));
        System.out.printf(format, "next over a 1,000,000-iteration one-line loop (s)",
                String.format("%.3f s", median(oursNext)), gdbNext, "-");
        System.out.printf(format, "conditional breakpoint, 19,999 false + 1 true (us/hit)",
                String.format("%.1f", median(oursCond)), String.format("%.1f", median(gdbCond)), String.format("%.1f", median(rawCond)));
        System.out.printf(format, "  ratio to the raw C loop", String.format("%.2fx", median(oursCond) / median(rawCond)),
                String.format("%.2fx", median(gdbCond) / median(rawCond)), "1.00x");
        System.out.printf(format, "  ratio to gdb", String.format("%.2fx", median(oursCond) / median(gdbCond)), "1.00x", "");
        System.out.printf("(ours in a fresh JVM, the untimed first run: next %.3f s, conditional breakpoint %.1f us/hit)%n",
                coldNext, coldConditional);
    }

    /** A session as DAP drives it: breakpoint on the loop line, run to it, then time one next. */
    private double oursNext(Path program) throws Exception {
        Session s = new Session(program, "1000");
        s.breakpoints.setSourceBreakpoints(mainC, List.of(UserBreakpoint.Spec.line(mainC, 30)));
        s.process.start().get(30, TimeUnit.SECONDS);
        ThreadStop hit = s.stops.poll(60, TimeUnit.SECONDS);
        check(hit != null && hit.reason() == StopReason.BREAKPOINT, "no stop at the loop line: " + hit);
        s.breakpoints.setSourceBreakpoints(mainC, List.of());
        long t0 = System.nanoTime();
        s.stepping.step(hit.tid(), StepKind.OVER, false).get(30, TimeUnit.SECONDS);
        ThreadStop stepped = s.stops.poll(120, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        check(stepped != null && stepped.reason() == StopReason.STEP, "the next did not finish: " + stepped);
        s.process.kill().get(30, TimeUnit.SECONDS);
        return (t1 - t0) / 1e9;
    }

    private double oursConditional(Path program) throws Exception {
        Session s = new Session(program, Integer.toString(HITS));
        s.breakpoints.setFunctionBreakpoints(List.of(new UserBreakpoint.Spec(UserBreakpoint.Kind.FUNCTION, null, 0, "hit_me", 0,
                Optional.of("x == 19999"), Optional.empty(), Optional.empty())));
        long t0 = System.nanoTime();
        s.process.start().get(30, TimeUnit.SECONDS);
        ThreadStop hit = s.stops.poll(120, TimeUnit.SECONDS);
        long t1 = System.nanoTime();
        check(hit != null && hit.reason() == StopReason.BREAKPOINT, "no conditional stop: " + hit);
        s.process.kill().get(30, TimeUnit.SECONDS);
        return (t1 - t0) / 1e3 / HITS;
    }

    /** What a DAP session sets up: the process held at exec, its modules, breakpoints, steps. */
    private static final class Session {
        final BlockingQueue<ThreadStop> stops = new LinkedBlockingQueue<>();
        final TracedProcess process;
        final UserBreakpoints breakpoints;
        final Stepping stepping;

        Session(Path program, String... args) throws Exception {
            LaunchSpec spec = new LaunchSpec(program, List.of(args), program.getParent(), System.getenv(), true, StopMode.NON_STOP);
            process = Tracer.shared().launch(spec, new ProcessListener() {
                @Override
                public void threadStopped(TracedProcess p, ThreadStop stop) {
                    stops.add(stop);
                }
            }, (stream, text) -> { }).get(30, TimeUnit.SECONDS);
            breakpoints = new UserBreakpoints(new UserBreakpoints.Listener() {
                @Override
                public void changed(UserBreakpoint breakpoint) {
                }

                @Override
                public void logged(int tid, UserBreakpoint breakpoint, String text) {
                }
            });
            breakpoints.bind(process);
            StackWalker[] walker = new StackWalker[1];
            breakpoints.setConditions(new ExpressionConditions(() -> walker[0]));
            // track completes after the first modules were reported: the breakpoints are in.
            SharedLibraries libs = SharedLibraries.track(process, (added, removed, now) -> breakpoints.modulesChanged(now),
                    Executors.newSingleThreadExecutor()).get(30, TimeUnit.SECONDS);
            walker[0] = new StackWalker(process, libs);
            stepping = new Stepping(process, libs, walker[0]);
        }
    }

    /** gdb -batch with these commands: whole-run milliseconds, NaN when cut off at the limit. */
    private static double gdb(long limitSeconds, String... commands) throws Exception {
        List<String> command = new ArrayList<>(List.of("gdb", "-nx", "-batch"));
        command.addAll(Arrays.asList(commands));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(limitSeconds, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return Double.NaN;
        }
        return (System.nanoTime() - t0) / 1e6;
    }

    private double raw(String... args) throws Exception {
        return RawPtraceLoop.microsPerUnit(rawLoop, args);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[v.length / 2];
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
