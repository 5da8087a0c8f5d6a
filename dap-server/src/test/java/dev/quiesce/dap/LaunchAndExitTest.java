package dev.quiesce.dap;

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

class LaunchAndExitTest extends DapTestBase {
    static Map<String, Object> launchArgs(String program, String... args) {
        Map<String, Object> launch = new HashMap<>();
        launch.put("program", TestServer.program(program).toString());
        launch.put("args", List.of(args));
        return launch;
    }

    /** initialize, launch, configurationDone; returns the process event. */
    static JsonObject launch(DapTestClient client, Map<String, Object> launch) {
        client.initialize();
        client.ok("launch", launch);
        JsonObject process = client.event("process");
        client.ok("configurationDone", Map.of());
        return process;
    }

    private static String collected(List<JsonObject> history, String category) {
        StringBuilder text = new StringBuilder();
        for (JsonObject m : history) {
            if (m.has("event") && m.get("event").getAsString().equals("output")
                    && body(m).get("category").getAsString().equals(category)) {
                text.append(body(m).get("output").getAsString());
            }
        }
        return text.toString();
    }

    @Test
    void initializedEventComesAfterTheInitializeResponse() throws Exception {
        try (DapTestClient client = server.connect()) {
            JsonObject response = client.ok("initialize", Map.of("adapterID", "quiesce"));
            assertTrue(body(response).get("supportsConfigurationDoneRequest").getAsBoolean());
            client.event("initialized");
            List<JsonObject> history = client.history();
            assertEquals("response", history.get(0).get("type").getAsString(), history.toString());
            assertEquals("initialized", history.get(1).get("event").getAsString(), history.toString());
        }
    }

    @Test
    void programOutputAndExitCodeComeBackAsEvents() throws Exception {
        try (DapTestClient client = server.connect()) {
            JsonObject process = launch(client, launchArgs("hello", "5"));
            assertTrue(body(process).get("systemProcessId").getAsInt() > 0);
            assertEquals("launch", body(process).get("startMethod").getAsString());
            JsonObject exited = client.event("exited");
            assertEquals(5, body(exited).get("exitCode").getAsInt());
            client.event("terminated");
            List<JsonObject> history = client.history();
            assertEquals("hello from quiesce\n", collected(history, "stdout"));
            assertTrue(collected(history, "console").endsWith("Process exited with code 5.\n"), collected(history, "console"));
            assertEquals("a line on stderr\n", collected(history, "stderr"));
            int exitedAt = history.indexOf(exited);
            for (int i = exitedAt + 1; i < history.size(); i++) {
                assertFalse(history.get(i).has("event") && history.get(i).get("event").getAsString().equals("output"),
                        "output after exited: " + history);
            }
            client.ok("disconnect", Map.of());
            client.awaitClosed();
        }
    }

    @Test
    void outputArrivesWhileTheProgramStillRuns(@TempDir Path tmp) throws Exception {
        Path gate = tmp.resolve("gate");
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("wait_for_file", gate.toString()));
            JsonObject first = client.event("output", e -> body(e).get("output").getAsString().contains("waiting for"));
            assertEquals("stdout", body(first).get("category").getAsString());
            // The program is blocked until the gate exists, so it cannot have exited yet.
            assertTrue(client.history().stream().noneMatch(m -> m.has("event") && m.get("event").getAsString().equals("exited")));
            JsonObject threads = client.ok("threads", null);
            assertEquals(1, body(threads).getAsJsonArray("threads").size());
            Files.createFile(gate);
            client.event("output", e -> body(e).get("output").getAsString().contains("done"));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void deathBySignalIsExplainedAndGivesTheShellExitCode() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("crash"));
            JsonObject stopped = client.event("stopped"); // SIGSEGV stops first (signal filter on)
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            JsonObject exited = client.event("exited");
            assertEquals(128 + 11, body(exited).get("exitCode").getAsInt());
            String console = collected(client.history(), "console");
            assertTrue(console.contains("SIGSEGV"), console);
        }
    }

    @Test
    void stopOnEntryStopsBeforeTheProgramRuns() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("hello", "0");
            args.put("stopOnEntry", true);
            JsonObject process = launch(client, args);
            JsonObject stopped = client.event("stopped");
            assertEquals("entry", body(stopped).get("reason").getAsString());
            int tid = body(stopped).get("threadId").getAsInt();
            assertEquals(body(process).get("systemProcessId").getAsInt(), tid);
            assertTrue(collected(client.history(), "stdout").isEmpty(), "the program ran before the entry stop");
            assertEquals("Stopped at main", body(stopped).get("description").getAsString());
            JsonObject frame = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")
                    .get(0).getAsJsonObject();
            assertEquals("main", frame.get("name").getAsString());
            client.ok("continue", Map.of("threadId", tid));
            client.event("output", e -> body(e).get("output").getAsString().contains("hello"));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void stopOnEntryWithoutDebugInfoStopsAtTheElfEntryPoint() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("sym_c_no_cfi");
            args.put("stopOnEntry", true);
            launch(client, args);
            JsonObject stopped = body(client.event("stopped"));
            assertEquals("entry", stopped.get("reason").getAsString());
            assertEquals("Stopped at the program's entry point", stopped.get("description").getAsString());
            int tid = stopped.get("threadId").getAsInt();
            JsonObject frame = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")
                    .get(0).getAsJsonObject();
            assertEquals("_start", frame.get("name").getAsString());
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void environmentAndWorkingDirectoryReachTheProgram(@TempDir Path tmp) throws Exception {
        // /usr/bin/env prints its environment; sh prints its working directory.
        try (DapTestClient client = server.connect()) {
            Map<String, Object> launch = new HashMap<>();
            launch.put("program", "/bin/sh");
            launch.put("args", List.of("-c", "pwd; echo \"Q=$QUIESCE_TEST_VAR H=${HOME:-unset}\""));
            launch.put("cwd", tmp.toString());
            Map<String, Object> env = new HashMap<>();
            env.put("QUIESCE_TEST_VAR", "forty two");
            env.put("HOME", null);
            launch.put("env", env);
            launch(client, launch);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            assertEquals(tmp.toRealPath() + "\nQ=forty two H=unset\n", collected(client.history(), "stdout"));
        }
    }

    @Test
    void restartRunsTheProgramAgainInTheSameSession(@TempDir Path tmp) throws Exception {
        Path gate = tmp.resolve("gate");
        try (DapTestClient client = server.connect()) {
            int first = body(launch(client, launchArgs("wait_for_file", gate.toString()))).get("systemProcessId").getAsInt();
            client.event("output", e -> body(e).get("output").getAsString().contains("waiting for"));
            client.ok("restart", Map.of());
            int second = body(client.event("process")).get("systemProcessId").getAsInt();
            assertTrue(second != first, "a new process");
            client.event("output", e -> body(e).get("output").getAsString().contains("waiting for"));
            assertFalse(Files.exists(Path.of("/proc", Integer.toString(first), "status")), "the old one is gone");
            Files.createFile(gate);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            client.event("terminated");
            long terminated = client.history().stream().filter(m -> m.has("event") && m.get("event").getAsString().equals("terminated")).count();
            long exited = client.history().stream().filter(m -> m.has("event") && m.get("event").getAsString().equals("exited")).count();
            assertEquals(1, terminated, "the restart did not end the session");
            assertEquals(1, exited);
        }
    }
}
