package dev.quiesce.dap.torture;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestClient;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Walks everything a user can open at a stop, the way a Variables view and a Watch panel do:
 * every frame of a thread, every scope, every variable to depth 3, and every local evaluated as
 * a watch and as a hover. Every request is timed into the run's {@link TortureStats}.
 */
final class StopWalker {
    /** Depth 1 is a scope's own variables (issue 13: "every variable to depth 3"). */
    static final int MAX_DEPTH = 3;
    /** Frames asked for per thread; deeper stacks are paged past by nobody in a real UI either. */
    private static final int MAX_FRAMES = 64;
    /** Children expanded per container (an array of 10^6 pages; the first page is what a user opens). */
    private static final int PAGE = 100;

    private final DapTestClient client;
    private final TortureStats stats;

    StopWalker(DapTestClient client, TortureStats stats) {
        this.client = client;
        this.stats = stats;
    }

    /** Sends a request, waits for its response, records how long it took. */
    JsonObject timed(String command, Map<String, ?> arguments) {
        long start = System.nanoTime();
        int seq = client.send(command, arguments);
        JsonObject response;
        try {
            response = client.response(seq);
        } catch (AssertionError noAnswer) {
            // The client's message lists everything received; the request is what matters here.
            throw new AssertionError(stats.program() + ": request " + seq + " (" + command + " " + arguments
                    + ") got no answer within " + DapTestClient.TIMEOUT_SECONDS + " s", null);
        }
        stats.answered(command, arguments, response, System.nanoTime() - start);
        return response;
    }

    /** Walks one stopped thread: its whole stack, scopes, variables, and its locals as expressions. */
    void walkThread(int threadId) {
        JsonObject trace = timed("stackTrace", Map.of("threadId", threadId, "startFrame", 0, "levels", MAX_FRAMES));
        if (!ok(trace)) {
            String message = trace.has("message") ? trace.get("message").getAsString() : "";
            if (message.contains("is running")) {
                // Nothing resumed it since its stopped event: a second event for one stop, or a
                // stop reported while the thread still ran (the pause race PauseRaceTest covers).
                stats.problem("thread " + threadId + " was reported stopped but its stack says: " + message);
            }
            return;
        }
        for (JsonElement f : trace.getAsJsonObject("body").getAsJsonArray("stackFrames")) {
            walkFrame(f.getAsJsonObject().get("id").getAsInt());
        }
    }

    private void walkFrame(int frameId) {
        JsonObject scopes = timed("scopes", Map.of("frameId", frameId));
        if (!ok(scopes)) {
            return;
        }
        Set<String> locals = new LinkedHashSet<>();
        for (JsonElement s : scopes.getAsJsonObject("body").getAsJsonArray("scopes")) {
            JsonObject scope = s.getAsJsonObject();
            boolean ownNames = !scope.get("name").getAsString().equals("Globals")
                    && !scope.get("name").getAsString().equals("Registers");
            walkVariables(scope.get("variablesReference").getAsInt(), null, 1, ownNames ? locals : null);
        }
        for (String expression : locals) {
            timed("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "watch"));
            timed("evaluate", Map.of("expression", expression, "frameId", frameId, "context", "hover"));
        }
    }

    /** {@code names} collects the evaluateNames of depth-1 variables (the frame's locals), if given. */
    private void walkVariables(int reference, Integer indexed, int depth, Set<String> names) {
        if (reference <= 0) {
            return;
        }
        Map<String, Object> args = new HashMap<>(Map.of("variablesReference", reference));
        if (indexed != null) {
            args.put("filter", "indexed");
            args.put("start", 0);
            args.put("count", Math.min(PAGE, indexed));
        }
        JsonObject response = timed("variables", args);
        if (!ok(response)) {
            return;
        }
        JsonArray variables = response.getAsJsonObject("body").getAsJsonArray("variables");
        int expanded = 0;
        for (JsonElement v : variables) {
            JsonObject variable = v.getAsJsonObject();
            if (names != null && variable.has("evaluateName")) {
                names.add(variable.get("evaluateName").getAsString());
            }
            int child = variable.has("variablesReference") ? variable.get("variablesReference").getAsInt() : 0;
            if (child > 0 && depth < MAX_DEPTH && expanded++ < PAGE) {
                Integer childIndexed = variable.has("indexedVariables") ? variable.get("indexedVariables").getAsInt() : null;
                walkVariables(child, childIndexed, depth + 1, null);
            }
        }
    }

    private static boolean ok(JsonObject response) {
        return response.get("success").getAsBoolean();
    }
}
