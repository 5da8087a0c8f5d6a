package dev.quiesce.cli;

import static dev.quiesce.dap.testing.DapTestClient.body;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestClient;
import java.net.InetAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A DAP client in a process of its own, for tests that kill it (ClientLossIT): it debugs a
 * program to a breakpoint stop, optionally leaves a request stuck, prints
 * {@code READY <debuggee pid> <quiesce pid or -1>} and then waits to be killed.
 * <pre>
 *   stdio BIN  launch PROGRAM SOURCE LINE idle|stuck [ARGS...]   runs BIN (DAP on its stdio)
 *   tcp PORT   attach PID     SOURCE LINE idle|stuck             connects to 127.0.0.1:PORT
 * </pre>
 * "stuck": a {@code variables} request of the stopped thread's Locals is sent and left
 * unanswered (the server is run with quiesce.test.stallReadsOf=variables), and READY is printed
 * once a {@code threads} sent after it has answered: the variables is dispatched and in flight.
 */
public final class DapClientProcess {
    private DapClientProcess() {
    }

    public static void main(String[] argv) throws Exception {
        List<String> args = Arrays.asList(argv);
        DapTestClient client;
        long quiescePid = -1;
        if (args.get(0).equals("stdio")) {
            Process quiesce = new ProcessBuilder(args.get(1)).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            quiescePid = quiesce.pid();
            client = new DapTestClient(quiesce.getInputStream(), quiesce.getOutputStream(), quiesce::destroy);
        } else {
            Socket socket = new Socket(InetAddress.getLoopbackAddress(), Integer.parseInt(args.get(1)));
            client = new DapTestClient(socket.getInputStream(), socket.getOutputStream(), socket);
        }
        String source = args.get(4);
        int line = Integer.parseInt(args.get(5));
        boolean stuck = args.get(6).equals("stuck");

        client.initialize();
        if (args.get(2).equals("launch")) {
            Map<String, Object> launch = new HashMap<>();
            launch.put("program", args.get(3));
            launch.put("args", args.subList(7, args.size()));
            client.ok("launch", launch);
        } else {
            client.ok("attach", Map.of("processId", Integer.parseInt(args.get(3))));
        }
        int debuggee = body(client.event("process")).get("systemProcessId").getAsInt();
        client.ok("setBreakpoints", Map.of("source", Map.of("path", source), "breakpoints", List.of(Map.of("line", line))));
        client.ok("configurationDone", Map.of());
        int tid = body(client.event("stopped", e -> body(e).get("reason").getAsString().equals("breakpoint")))
                .get("threadId").getAsInt();
        if (stuck) {
            JsonObject frame = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")
                    .get(0).getAsJsonObject();
            int locals = -1;
            for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frame.get("id").getAsInt()))).getAsJsonArray("scopes")) {
                if (s.getAsJsonObject().get("name").getAsString().equals("Locals")) {
                    locals = s.getAsJsonObject().get("variablesReference").getAsInt();
                }
            }
            int variables = client.send("variables", Map.of("variablesReference", locals));
            client.ok("threads", null);
            boolean answered = client.history().stream().anyMatch(m -> DapTestClient.isType(m, "response")
                    && m.get("request_seq").getAsInt() == variables);
            if (answered) {
                throw new IllegalStateException("the variables request was meant to be stuck: is quiesce.test.stallReadsOf set?");
            }
        }
        System.out.println("READY " + debuggee + " " + quiescePid);
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
