package dev.quiesce.dap.torture;

import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench/run --torture [STOPS]}: the torture of issue 13 on every real program built,
 * printed as a table (stops, requests, failures, latency percentiles, the slowest request).
 */
public final class TortureBench {
    private TortureBench() {
    }

    public static void main(String[] args) throws Exception {
        int stops = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        List<String> missing = new ArrayList<>();
        List<TortureProgram> programs = TortureProgram.available(
                Path.of(System.getProperty("quiesce.testprograms.dir")), missing);
        missing.forEach(m -> System.out.println("not built: " + m));
        System.out.printf("%-62s %6s %8s %8s %8s %8s %9s %8s%n", "program (torture, " + stops + " stops wanted)",
                "stops", "requests", "errors", "p50 ms", "p99 ms", "max ms", "problems");
        List<String> problems = new ArrayList<>();
        List<String> slowest = new ArrayList<>();
        try (TestServer server = new TestServer()) {
            long seed = 13;
            for (TortureProgram program : programs) {
                TortureStats stats;
                try (DapTestClient client = server.connect()) {
                    stats = new TortureRun(program, stops, seed++).run(client);
                }
                System.out.printf("%-62s %6d %8d %8d %8.1f %8.1f %9.1f %8d%n", program.name(), stats.stops(),
                        stats.requests(), stats.failures(), stats.percentileMillis(0.5), stats.percentileMillis(0.99),
                        stats.slowestMillis(), stats.problems().size());
                slowest.add("slowest request of " + program.name() + ": " + stats.slowestRequest());
                stats.errorKinds().stream().limit(4).forEach(k -> slowest.add(
                        "  error answers: " + k.getValue() + " x " + k.getKey()));
                stats.problems().forEach(p -> problems.add(program.name() + ": " + p));
            }
        }
        System.out.println();
        System.out.println("errors: success:false answers (a running thread's stack, an optimized-out value, ...), each a clear message");
        System.out.println("problems: a request slower than " + TortureStats.LIMIT_MILLIS + " ms, or Java exception text in an answer");
        slowest.forEach(System.out::println);
        problems.forEach(p -> System.out.println("PROBLEM " + p));
        System.exit(problems.isEmpty() ? 0 : 1);
    }
}
