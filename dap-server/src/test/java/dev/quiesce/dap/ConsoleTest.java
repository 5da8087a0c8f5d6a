package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The program's stdio in internalConsole mode (issue 16): stdout and stderr are terminals, so a
 * printf without fflush arrives while the program runs (through a pipe libc held it until exit),
 * the two streams stay apart, "\n" stays "\n"; stdin can come from a file.
 */
class ConsoleTest extends DapTestBase {
    private static String output(DapTestClient client, String category) {
        StringBuilder text = new StringBuilder();
        for (JsonObject m : client.history()) {
            if (m.has("event") && m.get("event").getAsString().equals("output")
                    && body(m).get("category").getAsString().equals(category)) {
                text.append(body(m).get("output").getAsString());
            }
        }
        return text.toString();
    }

    @Test
    void outputArrivesLineByLineWhileTheProgramRuns(@TempDir Path tmp) throws Exception {
        Path gate = tmp.resolve("gate");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("live_output", gate.toString()));
            client.ok("configurationDone", Map.of());
            // The program is still running (it waits for the gate): these came as printed.
            client.event("output", e -> body(e).get("output").getAsString().contains("stdout is a terminal"));
            client.event("output", e -> body(e).get("category").getAsString().equals("stderr")
                    && body(e).get("output").getAsString().contains("a line on stderr"));
            Files.createFile(gate);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            client.event("terminated");
            assertEquals("stdout is a terminal\ndone\n", output(client, "stdout"), "no \\r added, nothing lost at exit");
            assertEquals("a line on stderr\n", output(client, "stderr"));
        }
    }

    @Test
    void stdinComesFromTheFileTheLaunchNames(@TempDir Path tmp) throws Exception {
        Path input = tmp.resolve("input.txt");
        Files.writeString(input, "first line\nsecond line\n");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            Map<String, Object> launch = new HashMap<>(Map.of("program", "/bin/cat", "args", List.of(),
                    "cwd", tmp.toString(), "stdin", "input.txt"));
            client.ok("launch", launch);
            client.ok("configurationDone", Map.of());
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            client.event("terminated");
            assertEquals("first line\nsecond line\n", output(client, "stdout"));
        }
    }

    @Test
    void aMissingStdinFileIsRefusedByName(@TempDir Path tmp) throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            Map<String, Object> launch = launchArgs("hello", "1");
            launch.put("stdin", tmp.resolve("nothing-here").toString());
            JsonObject refused = client.request("launch", launch);
            assertFalse(refused.get("success").getAsBoolean());
            assertEquals("stdin file not found: " + tmp.resolve("nothing-here"), refused.get("message").getAsString());
        }
    }
}
