package dev.quiesce.bench;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.debugger.StackWalker;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.LaunchSpec;
import dev.quiesce.engine.ProcessListener;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopMode;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.engine.Tracer;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4's benchmark: open the large program (SQLite, -O2), answer the first file:line
 * (sqlite3.c:82560 → sqlite3BtreeInsert) and the first backtrace at that breakpoint, vs
 * {@code gdb -batch} doing the same, in one run. Both sides run as fresh processes (JVM start
 * included, as gdb's start is), timed from outside; the heap the symbols hold is measured in the
 * Quiesce process after a full GC. Median of RUNS.
 *
 * <p>{@code main} with {@code --once} is the measured child: it prints its backtrace and heap.
 */
public final class SymbolsBench {
    private static final int RUNS = 5;
    private static final String FILE = "sqlite3.c";
    private static final int LINE = 82560;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--once")) {
            once(Path.of(args[1]));
            System.exit(0);
        }
        Path program = Path.of(System.getProperty("quiesce.testprograms.dir"), "sqlite_demo");
        List<Double> oursTimes = new ArrayList<>();
        List<Double> oursRss = new ArrayList<>();
        List<Double> oursHeap = new ArrayList<>();
        List<Double> oursInProcess = new ArrayList<>();
        String phases = "";
        List<Double> gdbTimes = new ArrayList<>();
        List<Double> gdbRss = new ArrayList<>();
        String oursBt = "";
        String gdbBt = "";
        for (int i = 0; i < RUNS; i++) {
            Run ours = timed(oursCommand(program));
            oursTimes.add(ours.seconds);
            oursRss.add(ours.maxRssMb);
            oursHeap.add(Double.parseDouble(ours.line("heap-mb ")));
            oursInProcess.add(Double.parseDouble(ours.line("in-process-s ")));
            phases = ours.output().lines().filter(l -> l.startsWith("phases-ms")).findFirst().orElse("");
            oursBt = ours.frames();
            Run gdb = timed(List.of("gdb", "-nx", "-batch", "-ex", "break " + FILE + ":" + LINE, "-ex", "run", "-ex", "bt",
                    program.toString()));
            gdbTimes.add(gdb.seconds);
            gdbRss.add(gdb.maxRssMb);
            gdbBt = gdb.frames();
        }
        System.out.println("Symbols: open " + program.getFileName() + " (SQLite amalgamation, -O2), break " + FILE + ":" + LINE
                + ", run to it, backtrace. Median of " + RUNS + " runs, each a fresh process.");
        System.out.println("gdb's backtrace:\n" + gdbBt + "ours:\n" + oursBt);
        System.out.println("ours, last run: " + phases);
        System.out.printf("%-66s %10s %11s %7s%n", "", "Quiesce", "gdb -batch", "ratio");
        System.out.printf("%-66s %10.3f %11.3f %7.2f%n", "launch to backtrace, in the server's JVM vs gdb's whole run (s)",
                median(oursInProcess), median(gdbTimes), median(oursInProcess) / median(gdbTimes));
        System.out.printf("%-66s %10.3f %11.3f %7.2f%n", "whole process, JVM start and exit included (s)",
                median(oursTimes), median(gdbTimes), median(oursTimes) / median(gdbTimes));
        System.out.printf("%-66s %10.1f %11.1f %7.2f%n", "max resident memory of the process (MB)",
                median(oursRss), median(gdbRss), median(oursRss) / median(gdbRss));
        System.out.printf("%-66s %10.1f %11s%n", "Java heap held by symbols after a full GC (MB)", median(oursHeap), "-");
    }

    private static List<String> oursCommand(Path program) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Dquiesce.native.dir=" + System.getProperty("quiesce.native.dir"),
                SymbolsBench.class.getName(), "--once", program.toString());
    }

    /**
     * The measured work, in a fresh JVM, in the order a DAP session does it: launch (the program
     * held at exec, its modules tracked and their symbols read ahead in the background, as the
     * server does), then the breakpoint's file:line, run, stop, backtrace.
     */
    private static void once(Path program) throws Exception {
        long heapBefore = usedHeapAfterGc();
        long t0 = System.nanoTime();
        ExecutorService prefetch = Executors.newSingleThreadExecutor();
        LaunchSpec spec = new LaunchSpec(program, List.of(), program.getParent(), System.getenv(), true, StopMode.NON_STOP);
        TracedProcess process = Tracer.shared().launch(spec, new ProcessListener() { }, (stream, data) -> { }).get(30, TimeUnit.SECONDS);
        SharedLibraries libs = SharedLibraries.track(process, (added, removed, now) -> {
            for (LoadedModule m : added) {
                prefetch.execute(() -> ModuleSymbols.of(m.elf()).prefetch());
            }
        }, Executors.newSingleThreadExecutor()).get(30, TimeUnit.SECONDS);
        LoadedModule main = libs.modules().get(0);
        long t1 = System.nanoTime();
        ModuleSymbols symbols = ModuleSymbols.of(main.elf());
        ModuleSymbols.LineAddresses where = symbols.addressesForLine(FILE, LINE).orElseThrow();
        long t2 = System.nanoTime();
        CompletableFuture<Integer> hit = new CompletableFuture<>();
        EngineHandle bp = process.attach(event -> {
            if (event instanceof ThreadEvent.BreakpointHit h) {
                hit.complete(h.tid());
                return ResumeAction.STOP;
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.BREAKPOINT), 0).get(30, TimeUnit.SECONDS);
        bp.insertBreakpoint(main.toRuntime(where.addresses().get(0))).get(30, TimeUnit.SECONDS);
        process.start().get(30, TimeUnit.SECONDS);
        int tid = hit.get(30, TimeUnit.SECONDS);
        long t3 = System.nanoTime();
        List<StackFrame> frames = new StackWalker(process, libs).backtrace(tid, 256).get(30, TimeUnit.SECONDS);
        long t4 = System.nanoTime();
        StringBuilder out = new StringBuilder();
        for (StackFrame f : frames) {
            out.append("#").append(f.level()).append(' ').append(f.function())
                    .append(f.source().map(s -> " at " + s.fileName() + ":" + s.line()).orElse("")).append('\n');
        }
        System.out.print(out);
        System.out.printf("phases-ms launch %.0f, file:line %.0f, run to the breakpoint %.0f, backtrace %.0f, total %.0f%n",
                (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6, (t4 - t0) / 1e6);
        System.out.println("in-process-s " + (t4 - t0) / 1e9);
        System.out.flush();
        process.kill().get(30, TimeUnit.SECONDS);
        prefetch.shutdown();
        prefetch.awaitTermination(30, TimeUnit.SECONDS);
        long heapAfter = usedHeapAfterGc();
        System.out.println("heap-mb " + (heapAfter - heapBefore) / 1e6);
        java.lang.ref.Reference.reachabilityFence(symbols); // the symbols stay alive through the measurement
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private record Run(double seconds, double maxRssMb, String output) {
        String line(String prefix) {
            return Arrays.stream(output.split("\n")).filter(l -> l.startsWith(prefix)).findFirst()
                    .map(l -> l.substring(prefix.length()).trim().split(" ")[0])
                    .orElseThrow(() -> new IllegalStateException("no '" + prefix + "' in:\n" + output));
        }

        String frames() {
            StringBuilder b = new StringBuilder();
            for (String l : output.split("\n")) {
                if (l.startsWith("#")) {
                    b.append("  ").append(l).append('\n');
                }
            }
            return b.toString();
        }
    }

    /** Runs a command under /usr/bin/time: wall seconds and max RSS. */
    private static Run timed(List<String> command) throws IOException, InterruptedException {
        Path report = Files.createTempFile("quiesce-bench", ".time");
        List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-o", report.toString(), "-f", "%e %M"));
        full.addAll(command);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        String[] t = Files.readString(report).trim().split("\\s+");
        Files.deleteIfExists(report);
        if (p.exitValue() != 0 && !output.contains("#")) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
        return new Run(wall, Double.parseDouble(t[t.length - 1]) / 1024.0, output);
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v[v.length / 2];
    }
}
