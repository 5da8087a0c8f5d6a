package dev.quiesce.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.Map;

/**
 * One DAP session of the values benchmark: start to the line breakpoint (not timed), then the
 * requests a user's Variables view makes, each timed from sending to its response's arrival:
 * the Locals scope, and the first and last 1000-element pages of the vector and of the map.
 * Every page's last child is checked against the value the program stored there. Each
 * measurement also has the adapter's CPU time over the same span ("cpu " + its name).
 */
final class DapValues {
    private static final long TIMEOUT_MILLIS = 120_000;
    static final int PAGE = 1000;

    private DapValues() {}

    /** Measurement name to milliseconds (NaN where the adapter gave no such page) and a note per measurement. */
    record Result(Map<String, Double> millis, Map<String, String> notes) {}

    /** Fills {@code millis} and {@code notes} as it goes: a session that fails part way keeps what it measured. */
    static Result run(DapStartup.Adapter adapter, StartupProgram program, Map<String, Double> millis, Map<String, String> notes)
            throws IOException, InterruptedException {
        try (StdioDapClient client = new StdioDapClient(adapter.command())) {
            int init = client.send("initialize", DapStartup.initializeArguments());
            client.await(StdioDapClient.response(init), "initialize", TIMEOUT_MILLIS);
            client.send("launch", adapter.launchArguments().apply(program));
            int tid = stopAtBreakpoint(client, program);
            JsonObject st = new JsonObject();
            st.addProperty("threadId", tid);
            st.addProperty("levels", 1);
            int frameId = request(client, "stackTrace", st).body.getAsJsonArray("stackFrames").get(0).getAsJsonObject().get("id").getAsInt();
            JsonObject sc = new JsonObject();
            sc.addProperty("frameId", frameId);
            int locals = -1;
            for (JsonElement s : request(client, "scopes", sc).body.getAsJsonArray("scopes")) {
                if (s.getAsJsonObject().get("name").getAsString().toLowerCase().contains("local")) {
                    locals = s.getAsJsonObject().get("variablesReference").getAsInt();
                }
            }
            Timed all = variables(client, locals, -1);
            millis.put("locals", all.millis);
            millis.put("cpu locals", all.cpuMillis);
            JsonArray vars = all.body.getAsJsonArray("variables");
            notes.put("locals", vars.size() + " variables, text " + shortValue(vars, "text"));
            page(client, vars, "big", 0, "999", millis, notes, "big first");
            page(client, vars, "big", 1_000_000 - PAGE, "999999", millis, notes, "big last");
            page(client, vars, "table", 0, "1998", millis, notes, "table first");
            page(client, vars, "table", 100_000 - PAGE, "199998", millis, notes, "table last");
            JsonObject d = new JsonObject();
            d.addProperty("terminateDebuggee", true);
            int seq = client.send("disconnect", d);
            try {
                client.await(StdioDapClient.response(seq), "disconnect", 2_000);
            } catch (IllegalStateException slow) {
                // closing kills it
            }
            return new Result(millis, notes);
        }
    }

    private static String shortValue(JsonArray vars, String name) {
        JsonObject v = find(vars, name);
        if (v == null) {
            return "(missing)";
        }
        String s = v.get("value").getAsString();
        return s.length() + " chars";
    }

    private static JsonObject find(JsonArray vars, String name) {
        for (JsonElement e : vars) {
            if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
                return e.getAsJsonObject();
            }
        }
        return null;
    }

    private static void page(StdioDapClient client, JsonArray vars, String name, int start, String lastValue, Map<String, Double> millis,
                             Map<String, String> notes, String key) throws IOException, InterruptedException {
        JsonObject v = find(vars, name);
        if (v == null || v.get("variablesReference").getAsInt() == 0) {
            millis.put(key, Double.NaN);
            notes.put(key, "no expandable " + name);
            return;
        }
        Timed t = variables(client, v.get("variablesReference").getAsInt(), start);
        JsonArray children = t.body.has("variables") ? t.body.getAsJsonArray("variables") : new JsonArray();
        String last = "none";
        for (JsonElement c : children) {
            String n = c.getAsJsonObject().get("name").getAsString();
            if (n.matches("\\[\\d+\\]")) {
                last = c.getAsJsonObject().get("value").getAsString();
            }
        }
        millis.put(key, t.millis);
        millis.put("cpu " + key, t.cpuMillis);
        boolean ok = last.equals(lastValue) || last.endsWith(" " + lastValue) || last.contains("= " + lastValue);
        notes.put(key, children.size() + " children, last " + (ok ? "ok" : "WRONG (" + last + ", want " + lastValue + ")"));
    }

    /** Wall time (sent to received) and the adapter's process tree's CPU time over it. */
    private record Timed(double millis, double cpuMillis, JsonObject body) {}

    private static Timed variables(StdioDapClient client, int ref, int start) throws IOException, InterruptedException {
        JsonObject a = new JsonObject();
        a.addProperty("variablesReference", ref);
        if (start >= 0) {
            a.addProperty("filter", "indexed");
            a.addProperty("start", start);
            a.addProperty("count", PAGE);
        }
        return request(client, "variables", a);
    }

    private static Timed request(StdioDapClient client, String command, JsonObject args) throws IOException, InterruptedException {
        long cpu = ProcessTreeCpu.nanos(client.pid());
        long sent = System.nanoTime();
        int seq = client.send(command, args);
        StdioDapClient.Received r = client.await(StdioDapClient.response(seq), command + " " + args, TIMEOUT_MILLIS);
        double cpuMillis = (ProcessTreeCpu.nanos(client.pid()) - cpu) / 1e6;
        JsonObject body = r.message().has("body") && r.message().get("body").isJsonObject() ? r.message().getAsJsonObject("body") : new JsonObject();
        if (!r.message().get("success").getAsBoolean()) {
            throw new IllegalStateException(command + " failed: " + r.message());
        }
        return new Timed(StartupRun.millis(sent, r.nanos()), cpuMillis, body);
    }

    private static int stopAtBreakpoint(StdioDapClient client, StartupProgram program) throws IOException, InterruptedException {
        int breakpoints = -1;
        while (true) {
            StdioDapClient.Received r = client.poll(TIMEOUT_MILLIS);
            if (r == null) {
                throw new IllegalStateException("no stop within " + TIMEOUT_MILLIS + " ms");
            }
            JsonObject m = r.message();
            if (StdioDapClient.isEvent(m, "initialized")) {
                JsonObject source = new JsonObject();
                source.addProperty("path", program.source().toString());
                JsonObject bp = new JsonObject();
                bp.addProperty("line", program.line());
                JsonArray list = new JsonArray();
                list.add(bp);
                JsonObject a = new JsonObject();
                a.add("source", source);
                a.add("breakpoints", list);
                breakpoints = client.send("setBreakpoints", a);
            } else if (StdioDapClient.isResponse(m, breakpoints)) {
                client.send("configurationDone", new JsonObject());
            } else if (StdioDapClient.isEvent(m, "stopped")) {
                return m.getAsJsonObject("body").get("threadId").getAsInt();
            } else if (StdioDapClient.isEvent(m, "terminated") || StdioDapClient.isEvent(m, "exited")) {
                throw new IllegalStateException("the program ended before the breakpoint");
            }
        }
    }
}
