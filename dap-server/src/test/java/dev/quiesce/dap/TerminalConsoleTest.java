package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code console: integratedTerminal} (issue 16): the server asks the client to run the launcher
 * in a terminal (runInTerminal); this test is that client, and its "terminal" is a pty made by
 * util-linux {@code script}, whose input the test types into. The program reads what is typed.
 */
class TerminalConsoleTest extends DapTestBase {
    private static final String SOURCE = BreakpointsAndSteppingTest.source("echo_stdin.c");

    /** What a client's terminal would be: the command in a pty; typing goes to it, its screen is collected. */
    private static final class Terminal implements AutoCloseable {
        private final Process script;
        private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
        private final Thread reader;

        Terminal(JsonObject args) throws IOException {
            List<String> words = new ArrayList<>();
            for (JsonElement a : args.getAsJsonArray("args")) {
                words.add("'" + a.getAsString().replace("'", "'\\''") + "'");
            }
            ProcessBuilder pb = new ProcessBuilder("script", "-qefc", String.join(" ", words), "/dev/null")
                    .directory(Path.of(args.get("cwd").getAsString()).toFile()).redirectErrorStream(true);
            if (args.has("env")) {
                for (Map.Entry<String, JsonElement> e : args.getAsJsonObject("env").entrySet()) {
                    if (e.getValue().isJsonNull()) {
                        pb.environment().remove(e.getKey());
                    } else {
                        pb.environment().put(e.getKey(), e.getValue().getAsString());
                    }
                }
            }
            // The launcher is script's grandchild, not ours: the JDK's reaper never waits for it.
            script = pb.start();
            reader = new Thread(() -> {
                try (InputStream in = script.getInputStream()) {
                    byte[] buffer = new byte[4096];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        synchronized (screen) {
                            screen.write(buffer, 0, n);
                        }
                    }
                } catch (IOException ignored) {
                    // script is gone
                }
            }, "terminal-screen");
            reader.setDaemon(true);
            reader.start();
        }

        void type(String text) throws IOException {
            OutputStream keys = script.getOutputStream();
            keys.write(text.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        String screen() {
            synchronized (screen) {
                return screen.toString(StandardCharsets.UTF_8).replace("\r\n", "\n");
            }
        }

        long pid() {
            return script.pid();
        }

        @Override
        public void close() throws Exception {
            script.destroy();
            script.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int lineOf(String marker) throws IOException {
        List<String> lines = Files.readAllLines(Path.of(SOURCE));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker + " not in " + SOURCE);
    }

    @Test
    void aProgramInTheClientsTerminalReadsWhatIsTypedThereAndStopsAtBreakpoints() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize(Map.of("supportsRunInTerminalRequest", true));
            Map<String, Object> launch = launchArgs("echo_stdin");
            launch.put("console", "integratedTerminal");
            launch.put("env", Map.of("QUIESCE_TERMINAL_TEST", "yes"));
            int launchSeq = client.send("launch", launch);
            JsonObject request = client.reverseRequest("runInTerminal");
            JsonObject args = request.getAsJsonObject("arguments");
            assertEquals("integrated", args.get("kind").getAsString());
            assertEquals("yes", args.getAsJsonObject("env").get("QUIESCE_TERMINAL_TEST").getAsString());
            JsonArray command = args.getAsJsonArray("args");
            assertTrue(command.get(0).getAsString().endsWith("quiesce-launcher"), command.toString());
            try (Terminal terminal = new Terminal(args)) {
                client.respondTo(request, Map.of("shellProcessId", terminal.pid()), null);
                assertTrue(client.response(launchSeq).get("success").getAsBoolean(), "launch answered after the terminal started");
                client.event("process");
                client.ok("setBreakpoints", Map.of("source", Map.of("path", SOURCE),
                        "breakpoints", List.of(Map.of("line", lineOf("line echoed")))));
                client.ok("configurationDone", Map.of());
                awaitCondition("the program asks for input", () -> terminal.screen().contains("stdin is a terminal"));
                terminal.type("hello there\n");
                JsonObject stopped = client.event("stopped");
                assertEquals("breakpoint", body(stopped).get("reason").getAsString());
                int tid = body(stopped).get("threadId").getAsInt();
                int frame = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")
                        .get(0).getAsJsonObject().get("id").getAsInt();
                String line = body(client.ok("evaluate", Map.of("expression", "line", "frameId", frame, "context", "watch")))
                        .get("result").getAsString();
                assertTrue(line.contains("\"hello there\""), "the program read what was typed: " + line);
                client.ok("setBreakpoints", Map.of("source", Map.of("path", SOURCE), "breakpoints", List.of()));
                client.ok("continue", Map.of("threadId", tid));
                terminal.type("quit\n");
                assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
                client.event("terminated");
                awaitCondition("the terminal shows the program's last line", () -> terminal.screen().contains("lines: 2"));
                assertTrue(terminal.screen().contains("read: hello there\n"), terminal.screen());
                for (JsonObject m : client.history()) {
                    if ("output".equals(m.has("event") ? m.get("event").getAsString() : null)) {
                        assertFalse(body(m).get("category").getAsString().equals("stdout"),
                                "the program's output went to the terminal, not the debug console: " + m);
                    }
                }
            }
            client.assertSchemaValid();
        }
    }

    @Test
    void aClientWithoutRunInTerminalGetsAClearError() {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            Map<String, Object> launch = launchArgs("echo_stdin");
            launch.put("console", "externalTerminal");
            JsonObject refused = client.request("launch", launch);
            assertFalse(refused.get("success").getAsBoolean());
            String message = refused.get("message").getAsString();
            assertTrue(message.contains("runInTerminal") && message.contains("internalConsole"), message);
            launch.put("console", "tty");
            String bad = client.request("launch", launch).get("message").getAsString();
            assertTrue(bad.contains("\"console\" must be"), bad);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aTerminalTheClientCannotOpenFailsTheLaunchWithTheClientsReason() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize(Map.of("supportsRunInTerminalRequest", true));
            Map<String, Object> launch = launchArgs("echo_stdin");
            launch.put("console", "integratedTerminal");
            int launchSeq = client.send("launch", launch);
            client.respondTo(client.reverseRequest("runInTerminal"), null, "no terminal here");
            JsonObject refused = client.response(launchSeq);
            assertFalse(refused.get("success").getAsBoolean());
            String message = refused.get("message").getAsString();
            assertTrue(message.contains("could not run the program in a terminal") && message.contains("no terminal here"), message);
            // The session is still usable: an internal-console launch works after it.
            Map<String, Object> again = launchArgs("hello", "0");
            client.ok("launch", again);
            client.ok("configurationDone", Map.of());
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }
}
