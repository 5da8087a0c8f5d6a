package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launch;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreadControlTest extends DapTestBase {
    /**
     * Launches threads with N workers and waits until all N+1 threads have been announced and
     * the program says it has named them.
     */
    private static int launchThreads(DapTestClient client, Map<String, Object> args, int workers) {
        int pid = body(launch(client, args)).get("systemProcessId").getAsInt();
        for (int i = 0; i <= workers; i++) {
            client.event("thread", e -> body(e).get("reason").getAsString().equals("started"));
        }
        client.event("output", e -> body(e).get("output").getAsString().contains("started " + workers + " threads"));
        return pid;
    }

    private static Map<String, Integer> threadsByName(DapTestClient client) {
        JsonArray threads = body(client.ok("threads", null)).getAsJsonArray("threads");
        Map<String, Integer> byName = new HashMap<>();
        for (JsonElement t : threads) {
            byName.put(DapTestClient.threadName(t.getAsJsonObject()), t.getAsJsonObject().get("id").getAsInt());
        }
        return byName;
    }

    @Test
    void threadsOfAMultiThreadedProgramAreListedByName(@TempDir Path tmp) throws Exception {
        Path stop = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            int pid = launchThreads(client, launchArgs("threads", "4", stop.toString()), 4);
            Map<String, Integer> threads = threadsByName(client);
            assertEquals(Set.of("threads", "worker-1", "worker-2", "worker-3", "worker-4"), new TreeSet<>(threads.keySet()));
            assertEquals(pid, threads.get("threads"));
            // Told apart by their ids, the main thread first (VS Code lists them in this order).
            JsonArray listed = body(client.ok("threads", null)).getAsJsonArray("threads");
            assertEquals("threads [" + pid + "]", listed.get(0).getAsJsonObject().get("name").getAsString());
            Files.createFile(stop);
            for (int i = 0; i < 4; i++) {
                client.event("thread", e -> body(e).get("reason").getAsString().equals("exited"));
            }
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void nonStopPauseStopsOnlyThatThreadAndContinueResumesOnlyIt(@TempDir Path tmp) throws Exception {
        Path stop = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            launchThreads(client, launchArgs("threads", "3", stop.toString()), 3);
            int worker = threadsByName(client).get("worker-2");
            for (int round = 0; round < 20; round++) {
                client.ok("pause", Map.of("threadId", worker));
                JsonObject stopped = client.event("stopped");
                assertEquals("pause", body(stopped).get("reason").getAsString());
                assertEquals(worker, body(stopped).get("threadId").getAsInt());
                assertFalse(body(stopped).get("allThreadsStopped").getAsBoolean());
                JsonObject resumed = client.ok("continue", Map.of("threadId", worker));
                assertFalse(body(resumed).get("allThreadsContinued").getAsBoolean());
            }
            Files.createFile(stop);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void allStopPauseStopsEveryThreadAndContinueResumesThemAll(@TempDir Path tmp) throws Exception {
        Path stop = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("threads", "3", stop.toString());
            args.put("nonStop", false);
            launchThreads(client, args, 3);
            int worker = threadsByName(client).get("worker-1");
            client.ok("pause", Map.of("threadId", worker));
            JsonObject stopped = client.event("stopped");
            assertTrue(body(stopped).get("allThreadsStopped").getAsBoolean());
            assertEquals(worker, body(stopped).get("threadId").getAsInt());
            JsonObject resumed = client.ok("continue", Map.of("threadId", worker));
            assertTrue(body(resumed).get("allThreadsContinued").getAsBoolean());
            // singleThread: only the named thread goes on.
            client.ok("pause", Map.of("threadId", worker));
            client.event("stopped");
            JsonObject single = client.ok("continue", Map.of("threadId", worker, "singleThread", true));
            assertFalse(body(single).get("allThreadsContinued").getAsBoolean());
            int main = threadsByName(client).get("threads");
            client.ok("continue", Map.of("threadId", main));
            Files.createFile(stop);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void disconnectKillsTheLaunchedProgram() throws Exception {
        try (DapTestClient client = server.connect()) {
            int pid = launchThreads(client, launchArgs("threads", "2"), 2);
            assertTrue(Files.exists(Path.of("/proc", Integer.toString(pid))));
            client.ok("disconnect", Map.of());
            client.awaitClosed();
            assertFalse(Files.exists(Path.of("/proc", Integer.toString(pid))), "the program outlived the session");
        }
    }

    @Test
    void aClientThatVanishesTakesItsProgramWithIt() throws Exception {
        DapTestClient client = server.connect();
        int pid = launchThreads(client, launchArgs("threads", "2"), 2);
        client.close();
        Path proc = Path.of("/proc", Integer.toString(pid));
        // The kill is asynchronous; the next session proves the server is healthy meanwhile.
        try (DapTestClient next = server.connect()) {
            launch(next, launchArgs("hello", "0"));
            next.event("exited");
        }
        awaitCondition("the program is killed", () -> !Files.exists(proc));
        assertFalse(Files.exists(proc), "the program outlived its client");
    }

    @Test
    void terminateAsksTheProgramToEnd() throws Exception {
        try (DapTestClient client = server.connect()) {
            launchThreads(client, launchArgs("threads", "2"), 2);
            client.ok("terminate", Map.of());
            assertEquals(128 + 15, body(client.event("exited")).get("exitCode").getAsInt());
            client.event("terminated");
        }
    }

    @Test
    void terminateReachesAProgramWhoseThreadIsPaused() throws Exception {
        try (DapTestClient client = server.connect()) {
            int pid = launchThreads(client, launchArgs("threads", "1"), 1);
            client.ok("pause", Map.of("threadId", pid));
            client.event("stopped");
            client.ok("terminate", Map.of());
            // The paused thread runs again so the signal can land: the client is told.
            assertEquals(pid, body(client.event("continued")).get("threadId").getAsInt());
            assertEquals(128 + 15, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }
}
