package dev.quiesce.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;

/**
 * One debugger session as VS Code runs it, timed: spawn the adapter, {@code initialize},
 * {@code launch}, on {@code initialized} one {@code setBreakpoints} then {@code configurationDone},
 * until the first {@code stopped} event; then {@code disconnect}.
 */
final class DapStartup {
    private static final long TIMEOUT_MILLIS = 60_000;

    /** A DAP adapter: its command line and how its launch request spells program, args and cwd. */
    record Adapter(String name, List<String> command, Function<StartupProgram, JsonObject> launchArguments) {}

    private DapStartup() {}

    static StartupRun run(Adapter adapter, StartupProgram program) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (StdioDapClient client = new StdioDapClient(adapter.command())) {
            int init = client.send("initialize", initializeArguments());
            long ready = client.await(StdioDapClient.response(init), "initialize", TIMEOUT_MILLIS).nanos();
            int launch = client.send("launch", adapter.launchArguments().apply(program));
            long launched = -1;
            long placed = -1;
            int breakpoints = -1;
            int done = -1;
            while (true) {
                StdioDapClient.Received r = client.poll(TIMEOUT_MILLIS);
                if (r == null) {
                    throw new IllegalStateException(adapter.name() + " on " + program.name() + ": no stop within " + TIMEOUT_MILLIS + " ms");
                }
                JsonObject m = r.message();
                if (StdioDapClient.isResponse(m, launch)) {
                    requireSuccess(m, adapter, program);
                    launched = r.nanos();
                } else if (StdioDapClient.isEvent(m, "initialized")) {
                    breakpoints = client.send("setBreakpoints", breakpointArguments(program));
                } else if (StdioDapClient.isResponse(m, breakpoints)) {
                    placed = r.nanos();
                    done = client.send("configurationDone", new JsonObject());
                } else if (StdioDapClient.isResponse(m, done)) {
                    requireSuccess(m, adapter, program);
                } else if (StdioDapClient.isEvent(m, "stopped")) {
                    long rss = ProcessTreeMemory.rssKib(client.pid(), program.binary());
                    disconnect(client);
                    return new StartupRun(StartupRun.millis(start, ready), since(start, launched),
                            since(start, placed), StartupRun.millis(start, r.nanos()), rss);
                } else if (StdioDapClient.isEvent(m, "terminated") || StdioDapClient.isEvent(m, "exited")) {
                    throw new IllegalStateException(adapter.name() + " on " + program.name() + ": the program ended before the breakpoint");
                }
            }
        }
    }

    private static double since(long start, long at) {
        return at < 0 ? -1 : StartupRun.millis(start, at);
    }

    private static void disconnect(StdioDapClient client) throws IOException, InterruptedException {
        JsonObject args = new JsonObject();
        args.addProperty("terminateDebuggee", true);
        int seq = client.send("disconnect", args);
        try {
            client.await(StdioDapClient.response(seq), "disconnect", 2_000);
        } catch (IllegalStateException slow) {
            // closing kills it
        }
    }

    private static void requireSuccess(JsonObject response, Adapter adapter, StartupProgram program) {
        if (!response.get("success").getAsBoolean()) {
            throw new IllegalStateException(adapter.name() + " on " + program.name() + ": " + response);
        }
    }

    static JsonObject initializeArguments() {
        JsonObject a = new JsonObject();
        a.addProperty("clientID", "vscode");
        a.addProperty("adapterID", "bench");
        a.addProperty("pathFormat", "path");
        a.addProperty("linesStartAt1", true);
        a.addProperty("columnsStartAt1", true);
        a.addProperty("supportsVariableType", true);
        a.addProperty("supportsRunInTerminalRequest", false);
        return a;
    }

    private static JsonObject breakpointArguments(StartupProgram program) {
        JsonObject source = new JsonObject();
        source.addProperty("path", program.source().toString());
        JsonObject bp = new JsonObject();
        bp.addProperty("line", program.line());
        JsonArray list = new JsonArray();
        list.add(bp);
        JsonObject a = new JsonObject();
        a.add("source", source);
        a.add("breakpoints", list);
        return a;
    }

    /** program, args as an array, cwd: Quiesce and lldb-vscode. */
    static JsonObject arrayArgsLaunch(StartupProgram program) {
        JsonObject a = new JsonObject();
        a.addProperty("program", program.binary().toString());
        JsonArray args = new JsonArray();
        program.args().forEach(args::add);
        a.add("args", args);
        a.addProperty("cwd", program.binary().getParent().toString());
        return a;
    }

    /** cdt-gdb-adapter: arguments as one string. */
    static JsonObject cdtLaunch(StartupProgram program) {
        JsonObject a = new JsonObject();
        a.addProperty("program", program.binary().toString());
        a.addProperty("arguments", String.join(" ", program.args()));
        a.addProperty("cwd", program.binary().getParent().toString());
        a.addProperty("gdb", "gdb");
        return a;
    }
}
