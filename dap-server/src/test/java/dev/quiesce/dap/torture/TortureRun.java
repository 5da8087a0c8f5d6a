package dev.quiesce.dap.torture;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static dev.quiesce.dap.testing.DapTestClient.isType;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One program under the torture (issue 13): breakpoints in hot functions and random pauses; at
 * every stop the stopped thread is walked whole ({@link StopWalker}), the other threads' stacks
 * are asked for (running ones must answer an error at once), then the thread goes on. Ends with
 * a disconnect that must kill the program. Seeded, so a failure replays.
 */
public final class TortureRun {
    private final TortureProgram program;
    private final int stops;
    private final Random random;

    public TortureRun(TortureProgram program, int stops, long seed) {
        this.program = program;
        this.stops = stops;
        this.random = new Random(seed);
    }

    public TortureStats run(DapTestClient client) throws Exception {
        TortureStats stats = new TortureStats(program.name());
        StopWalker walker = new StopWalker(client, stats);
        client.initialize();
        client.ok("launch", program.launchArguments());
        List<Map<String, String>> breakpoints = new ArrayList<>();
        for (String f : program.functions()) {
            breakpoints.add(Map.of("name", f));
        }
        client.ok("setFunctionBreakpoints", Map.of("breakpoints", breakpoints));
        client.ok("configurationDone", Map.of());
        try (AutoCloseable load = program.loadFactory().isPresent() ? program.loadFactory().get().start() : null) {
            while (stats.stops() < stops) {
                JsonObject m = client.next(x -> isType(x, "event")
                        && (x.get("event").getAsString().equals("stopped") || x.get("event").getAsString().equals("exited")),
                        "a stop of " + program.name());
                if (m.get("event").getAsString().equals("exited")) {
                    break; // the program ran to its end before the stops we wanted
                }
                stats.stopped();
                int tid = body(m).get("threadId").getAsInt();
                walker.walkThread(tid);
                List<Integer> threads = otherThreads(walker, tid);
                for (int other : threads) {
                    walker.timed("stackTrace", Map.of("threadId", other, "startFrame", 0, "levels", 20));
                }
                walker.timed("continue", Map.of("threadId", tid));
                if (random.nextInt(3) == 0) {
                    // A random pause, right after the continue: of this thread or another one.
                    int target = threads.isEmpty() || random.nextBoolean() ? tid : threads.get(random.nextInt(threads.size()));
                    walker.timed("pause", Map.of("threadId", target));
                }
            }
        }
        JsonObject disconnect = walker.timed("disconnect", Map.of("terminateDebuggee", true));
        if (!disconnect.get("success").getAsBoolean()) {
            stats.problem("disconnect failed: " + disconnect);
        }
        return stats;
    }

    private static List<Integer> otherThreads(StopWalker walker, int tid) {
        JsonObject threads = walker.timed("threads", null);
        List<Integer> ids = new ArrayList<>();
        if (threads.get("success").getAsBoolean()) {
            for (JsonElement t : body(threads).getAsJsonArray("threads")) {
                int id = t.getAsJsonObject().get("id").getAsInt();
                if (id != tid) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }
}
