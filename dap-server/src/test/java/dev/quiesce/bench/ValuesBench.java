package dev.quiesce.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * bench/run --values (issue 14): {@code variables} of a frame holding a 10^6-element vector, a
 * 10^5-entry map and a 100 kB string (bench/values/values_bench.cpp), Quiesce against
 * lldb-vscode-16 and gdb's print at the same stop. Median of {@code quiesce.bench.rounds}
 * sessions, each a fresh adapter. Prints; asserts nothing.
 *
 * <p>Properties (bench/run sets them): {@code quiesce.bench.quiesce}, {@code quiesce.bench.lldb},
 * {@code quiesce.bench.values.program} ({@code binary|source|line}); {@code quiesce.bench.values.noGdb}
 * leaves gdb out (its unlimited print of the map takes about a minute a round);
 * {@code quiesce.bench.values.baseline}, a second Quiesce command (another build, say), adds a
 * column "baseline" run in the same rounds, for comparing two builds under the same load.
 */
public final class ValuesBench {
    private static final List<String> ROWS = List.of("locals", "big first", "big last", "table first", "table last");
    private static final Map<String, String> LABELS = Map.of(
            "locals", "Locals scope (3 values' text)",
            "big first", "vector 10^6: first page",
            "big last", "vector 10^6: last page",
            "table first", "map 10^5: first page",
            "table last", "map 10^5: last page");

    private ValuesBench() {}

    public static void main(String[] argv) throws Exception {
        String[] p = System.getProperty("quiesce.bench.values.program").split("\\|");
        StartupProgram program = new StartupProgram("values", Path.of(p[0]), Path.of(p[1]), Integer.parseInt(p[2]), List.of());
        int rounds = Integer.getInteger("quiesce.bench.rounds", 3);
        Map<String, Map<String, Double>> columns = new LinkedHashMap<>();
        Map<String, String> notes = new LinkedHashMap<>();
        List<DapStartup.Adapter> adapters = new ArrayList<>();
        adapters.add(new DapStartup.Adapter("Quiesce", Arrays.asList(System.getProperty("quiesce.bench.quiesce").trim().split("\\s+")),
                DapStartup::arrayArgsLaunch));
        String baseline = System.getProperty("quiesce.bench.values.baseline");
        if (baseline != null && !baseline.isBlank()) {
            adapters.add(new DapStartup.Adapter("baseline", Arrays.asList(baseline.trim().split("\\s+")), DapStartup::arrayArgsLaunch));
        }
        String lldb = System.getProperty("quiesce.bench.lldb");
        if (lldb != null && Files.isExecutable(Path.of(lldb))) {
            adapters.add(new DapStartup.Adapter("lldb-vscode-16", List.of(lldb), DapStartup::arrayArgsLaunch));
        }
        // Rounds interleaved (one session of each adapter, then the next round): a shared
        // machine's load changes over a run, and this spreads it over the columns alike.
        Map<String, List<Map<String, Double>>> runs = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (DapStartup.Adapter a : adapters) {
                Map<String, Double> millis = new LinkedHashMap<>();
                Map<String, String> session = new LinkedHashMap<>();
                try {
                    DapValues.run(a, program, millis, session);
                } catch (RuntimeException e) {
                    session.put("error", e.getMessage()); // what it answered before stays in the table
                }
                runs.computeIfAbsent(a.name(), k -> new ArrayList<>()).add(millis);
                session.forEach((k, v) -> notes.put(a.name() + " " + k, v));
            }
        }
        runs.forEach((name, sessions) -> columns.put(name, median(sessions)));
        List<Map<String, Double>> gdbRuns = new ArrayList<>();
        List<Map<String, Double>> insideRuns = new ArrayList<>();
        for (int r = 0; r < rounds && !Boolean.getBoolean("quiesce.bench.values.noGdb"); r++) {
            gdbRuns.add(GdbValues.run(program, false));
            insideRuns.add(GdbValues.run(program, true));
        }
        if (!gdbRuns.isEmpty()) {
            columns.put("gdb print", median(gdbRuns));
            columns.put("gdb inside", median(insideRuns)); // no CPU figure: gdb is one thread, its span is its work
        }
        print(columns, notes, rounds);
    }

    private static Map<String, Double> median(List<Map<String, Double>> runs) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String row : java.util.stream.Stream.concat(ROWS.stream(), ROWS.stream().map(r -> "cpu " + r)).toList()) {
            double[] xs = runs.stream().mapToDouble(r -> r.getOrDefault(row, Double.NaN)).filter(x -> !Double.isNaN(x)).sorted().toArray();
            m.put(row, xs.length == 0 ? Double.NaN : xs[xs.length / 2]);
        }
        return m;
    }

    private static void print(Map<String, Map<String, Double>> columns, Map<String, String> notes, int rounds) {
        System.out.printf("variables of one frame (values_bench.cpp), ms, median of %d sessions; ratio = peer / Quiesce (>1: Quiesce faster)%n", rounds);
        System.out.println("wall time: from the request written to its whole answer read, by this client over the debugger's pipes"
                + " (DAP for Quiesce and lldb-vscode, MI for gdb)");
        table(columns, "");
        System.out.println();
        System.out.println("CPU time of the debugger's processes (all threads: JIT, GC, lldb-server) over the same spans, ms");
        table(columns, "cpu ");
        System.out.println();
        System.out.println("checks (last session of each adapter):");
        notes.forEach((k, v) -> System.out.println("  " + k + ": " + v));
        System.out.println("gdb has no pages: first page = print with 'print elements 1000' (2000 for the map, whose key and value gdb counts"
                + " as two: 1000 entries, as a page); vector last page = print big._M_impl._M_start[999000]@1000;");
        System.out.println("map last page = print table with 'print elements unlimited' (the only way gdb shows its last entries).");
        System.out.println("gdb inside: the same prints timed inside gdb (Python perf_counter around gdb.execute(to_string=True), a session"
                + " of their own): gdb's own work, its text not written anywhere; not the measurement of the other columns.");
    }

    private static void table(Map<String, Map<String, Double>> columns, String prefix) {
        StringBuilder h = new StringBuilder(String.format("%-32s", ""));
        for (String c : columns.keySet()) {
            h.append(String.format("%18s", c));
        }
        for (String c : columns.keySet()) {
            if (!c.equals("Quiesce")) {
                h.append(String.format("%18s", (c.equals("gdb inside") ? "inside" : c.split(" ")[0]) + " ratio"));
            }
        }
        System.out.println(h);
        for (String row : ROWS) {
            StringBuilder b = new StringBuilder(String.format("%-32s", LABELS.get(row)));
            double ours = columns.get("Quiesce").get(prefix + row);
            for (Map<String, Double> c : columns.values()) {
                b.append(String.format("%18s", cell(c.get(prefix + row))));
            }
            for (var e : columns.entrySet()) {
                if (!e.getKey().equals("Quiesce")) {
                    double x = e.getValue().get(prefix + row);
                    b.append(String.format("%18s", Double.isNaN(x) || Double.isNaN(ours) ? "-" : String.format("%.1fx", x / ours)));
                }
            }
            System.out.println(b);
        }
    }

    private static String cell(Double x) {
        return x == null || Double.isNaN(x) ? "-" : String.format("%.1f", x);
    }
}
