package dev.quiesce.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * bench/run --startup (issue 19): from spawning the debugger to the first stop at one line
 * breakpoint, Quiesce against lldb-vscode-16, gdb through cdt-gdb-adapter and gdb -batch, on the
 * same programs, interleaved in the same run (one untimed warm-up round, then the median of
 * {@code quiesce.bench.rounds}). Prints; asserts nothing.
 *
 * <p>System properties (bench/run sets them): {@code quiesce.bench.quiesce} (the command that
 * serves DAP on stdio, space-separated), {@code quiesce.bench.lldb} (lldb-vscode), {@code
 * quiesce.bench.cdt} (cdt-gdb-adapter's debugAdapter.js), {@code quiesce.bench.startup.programs}
 * ({@code name|binary|source|line|arg,arg;...}), {@code quiesce.bench.alt} ({@code Label=command}, several
 * separated by {@code ;}: more Quiesce rows, e.g. a build from before a change), {@code quiesce.bench.only} (debugger names, comma-separated).
 * A debugger that is not there is left out.
 */
public final class StartupBench {
    private static final List<String> PEERS = List.of("lldb-vscode-16", "gdb (cdt-gdb-adapter)", "gdb -batch");

    private interface Debugger {
        StartupRun run(StartupProgram program) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int rounds = Integer.getInteger("quiesce.bench.rounds", 5);
        Map<String, Debugger> debuggers = debuggers();
        List<StartupProgram> programs = programs(System.getProperty("quiesce.bench.startup.programs", ""));
        Map<String, Map<String, List<StartupRun>>> runs = new LinkedHashMap<>();
        List<String> names = new ArrayList<>(debuggers.keySet());
        for (int round = 0; round <= rounds; round++) {
            for (StartupProgram program : programs) {
                for (int i = 0; i < names.size(); i++) {
                    String name = names.get((i + round) % names.size()); // each takes each turn
                    StartupRun run = debuggers.get(name).run(program);
                    if (round > 0) {
                        runs.computeIfAbsent(program.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(name, k -> new ArrayList<>()).add(run);
                    }
                }
            }
        }
        print(runs, names, rounds);
    }

    private static Map<String, Debugger> debuggers() {
        Map<String, Debugger> d = new LinkedHashMap<>();
        String quiesce = System.getProperty("quiesce.bench.quiesce");
        if (quiesce != null) {
            var adapter = new DapStartup.Adapter("Quiesce", Arrays.asList(quiesce.trim().split("\\s+")), DapStartup::arrayArgsLaunch);
            d.put("Quiesce", p -> DapStartup.run(adapter, p));
        }
        // "Label=command", or several separated by ";": other Quiesce builds or flags, side by side
        for (String alt : System.getProperty("quiesce.bench.alt", "").split(";")) {
            if (!alt.contains("=")) {
                continue;
            }
            String label = alt.substring(0, alt.indexOf('=')).trim();
            var adapter = new DapStartup.Adapter(label, Arrays.asList(alt.substring(alt.indexOf('=') + 1).trim().split("\\s+")), DapStartup::arrayArgsLaunch);
            d.put(label, p -> DapStartup.run(adapter, p));
        }
        String lldb = System.getProperty("quiesce.bench.lldb");
        if (lldb != null && Files.isExecutable(Path.of(lldb))) {
            var adapter = new DapStartup.Adapter("lldb-vscode-16", List.of(lldb), DapStartup::arrayArgsLaunch);
            d.put("lldb-vscode-16", p -> DapStartup.run(adapter, p));
        }
        String cdt = System.getProperty("quiesce.bench.cdt");
        if (cdt != null && Files.isRegularFile(Path.of(cdt))) {
            var adapter = new DapStartup.Adapter("gdb (cdt-gdb-adapter)", List.of("node", cdt), DapStartup::cdtLaunch);
            d.put("gdb (cdt-gdb-adapter)", p -> DapStartup.run(adapter, p));
        }
        d.put("gdb -batch", GdbBatchStartup::run);
        String only = System.getProperty("quiesce.bench.only");
        if (only != null) {
            d.keySet().retainAll(List.of(only.split(",")));
        }
        return d;
    }

    static List<StartupProgram> programs(String spec) {
        List<StartupProgram> list = new ArrayList<>();
        for (String one : spec.split(";")) {
            if (one.isBlank()) {
                continue;
            }
            String[] f = one.split("\\|", -1);
            List<String> args = f.length > 4 && !f[4].isEmpty() ? List.of(f[4].split(",")) : List.of();
            Path binary = Path.of(f[1]);
            if (Files.isExecutable(binary)) {
                list.add(new StartupProgram(f[0], binary, Path.of(f[2]), Integer.parseInt(f[3]), args));
            } else {
                System.out.println("(" + f[0] + " left out: " + binary + " was not built)");
            }
        }
        return list;
    }

    private static void print(Map<String, Map<String, List<StartupRun>>> runs, List<String> names, int rounds) {
        System.out.printf("Startup (issue 19): spawn the debugger -> initialize answered -> launch answered -> "
                + "breakpoint answered -> first stop; ms, median of %d (after one warm-up round); "
                + "RSS of the debugger at the stop, without the debuggee%n", rounds);
        String format = "%-12s %-22s %8s %8s %8s %8s %8s  %s%n";
        System.out.printf(format, "program", "debugger", "ready", "launch", "bp", "stop", "RSS MiB", "stop vs fastest peer");
        for (var program : runs.entrySet()) {
            Map<String, List<StartupRun>> byDebugger = program.getValue();
            double fastestPeer = byDebugger.entrySet().stream().filter(e -> PEERS.contains(e.getKey()))
                    .mapToDouble(e -> median(e.getValue(), StartupRun::stopped)).min().orElse(Double.NaN);
            for (String name : names) {
                List<StartupRun> r = byDebugger.get(name);
                if (r == null) {
                    continue;
                }
                double stop = median(r, StartupRun::stopped);
                String ratio = !PEERS.contains(name) ? String.format(Locale.ROOT, "x%.2f", stop / fastestPeer) : "";
                System.out.printf(Locale.ROOT, format, program.getKey(), name, ms(median(r, StartupRun::ready)),
                        ms(median(r, StartupRun::launched)), ms(median(r, StartupRun::placed)), ms(stop),
                        String.format(Locale.ROOT, "%.0f", median(r, x -> x.rssKib()) / 1024), ratio);
            }
        }
    }

    private static String ms(double v) {
        return v < 0 ? "-" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static double median(List<StartupRun> runs, java.util.function.ToDoubleFunction<StartupRun> field) {
        double[] v = runs.stream().mapToDouble(field).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
