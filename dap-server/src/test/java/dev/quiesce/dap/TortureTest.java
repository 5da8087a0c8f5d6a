package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.torture.TortureProgram;
import dev.quiesce.dap.torture.TortureRun;
import dev.quiesce.dap.torture.TortureStats;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The torture of issue 13 in a smaller form (bench/run --torture is the long one): real programs
 * nobody here wrote (SQLite, Lua, memcached with 4 worker threads in non-stop mode) and the Rust
 * shapes.rs (legacy and v0 names; where rustc exists), stopped in
 * hot functions and at random pauses, every thread, frame, scope and variable to depth 3 walked
 * and every local evaluated: every request answered within 2 s, none with Java exception text,
 * every message within the DAP schema (DapTestClient checks each one).
 */
class TortureTest extends DapTestBase {
    private static final int STOPS = 6;

    @Test
    void realProgramsAnswerEveryRequestQuicklyAndPlainly() throws Exception {
        List<String> missing = new ArrayList<>();
        List<TortureProgram> programs = TortureProgram.available(
                Path.of(System.getProperty("quiesce.testprograms.dir")), missing);
        if (System.getenv("QUIESCE_REQUIRE_REAL_PROGRAMS") != null) {
            assertEquals(List.of(), missing, "QUIESCE_REQUIRE_REAL_PROGRAMS is set (CI) but real programs are missing");
        }
        Assumptions.assumeTrue(missing.isEmpty(), () -> "not built: " + missing);
        long seed = 1313;
        for (TortureProgram program : programs) {
            TortureStats stats;
            try (DapTestClient client = server.connect()) {
                stats = new TortureRun(program, STOPS, seed++).run(client);
            }
            System.out.println(program.name() + ": " + stats.stops() + " stops, " + stats.requests() + " requests, problems " + stats.problems());
            assertTrue(stats.stops() >= 1, program.name() + " never stopped");
            assertEquals(List.of(), stats.problems(), program.name());
            assertTrue(stats.requests() > stats.stops() * 5, program.name() + ": the walk sent too few requests to mean anything");
        }
    }
}
