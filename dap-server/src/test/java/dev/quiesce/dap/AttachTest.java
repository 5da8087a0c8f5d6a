package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launch;
import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** attach by processId, and disconnect that leaves the process running untraced. */
class AttachTest extends DapTestBase {
    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    /** A debuggee we did not start: a shell's background job, whose exit code the shell records. */
    private record Outsider(int pid, Process shell, Path code) {
        static Outsider start(Path tmp, Path stopFile) throws Exception {
            Path pidFile = tmp.resolve("pid");
            Path code = tmp.resolve("code");
            Process shell = new ProcessBuilder("sh", "-c", "\"$0\" 3 \"$1\" > /dev/null & echo $! > \"$2\"; wait $!; echo $? > \"$3\"",
                    TestServer.program("threads").toString(), stopFile.toString(), pidFile.toString(), code.toString()).start();
            awaitCondition("the program runs", () -> read(pidFile).endsWith("\n"));
            int pid = Integer.parseInt(read(pidFile).strip());
            awaitCondition("its threads exist", () -> dev.quiesce.linux.ProcFs.tasks(pid).size() == 4);
            return new Outsider(pid, shell, code);
        }

        String tracerPid() {
            return read(Path.of("/proc", Integer.toString(pid), "status")).lines()
                    .filter(l -> l.startsWith("TracerPid:")).findFirst().orElse("gone").replace("TracerPid:", "").strip();
        }
    }

    @Test
    void attachPauseContinueAndDisconnectLeavesTheProcessRunningUntraced(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        Outsider outsider = Outsider.start(tmp, stopFile);
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("attach", Map.of("processId", outsider.pid()));
            JsonObject process = client.event("process");
            assertEquals("attach", body(process).get("startMethod").getAsString());
            client.ok("configurationDone", Map.of());
            assertEquals(4, body(client.ok("threads", null)).getAsJsonArray("threads").size());
            assertFalse(outsider.tracerPid().equals("0"), "attached: traced");
            int worker = body(client.ok("threads", null)).getAsJsonArray("threads").get(1).getAsJsonObject().get("id").getAsInt();
            client.ok("pause", Map.of("threadId", worker));
            assertEquals(worker, body(client.event("stopped")).get("threadId").getAsInt());
            client.ok("continue", Map.of("threadId", worker));
            client.ok("disconnect", Map.of());
            client.awaitClosed();
        }
        assertEquals("0", outsider.tracerPid(), "detached: no tracer left");
        Files.createFile(stopFile);
        assertTrue(outsider.shell().waitFor(30, TimeUnit.SECONDS));
        assertEquals("0", read(outsider.code()).strip(), "the program finished normally after the detach");
    }

    @Test
    void attachTakesANumericStringAndAClientThatVanishesDetaches(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        Outsider outsider = Outsider.start(tmp, stopFile);
        DapTestClient client = server.connect();
        client.initialize();
        client.ok("attach", Map.of("processId", Integer.toString(outsider.pid())));
        client.event("process");
        client.close();
        awaitCondition("the server detaches", () -> outsider.tracerPid().equals("0"));
        Files.createFile(stopFile);
        assertTrue(outsider.shell().waitFor(30, TimeUnit.SECONDS));
        assertEquals("0", read(outsider.code()).strip());
    }

    @Test
    void attachErrorsNameTheProblem() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            assertTrue(client.request("attach", Map.of()).get("message").getAsString().contains("\"processId\" is required"));
            assertTrue(client.request("attach", Map.of("processId", "abc")).get("message").getAsString().contains("must be a process id"));
            assertTrue(client.request("attach", Map.of("processId", 999999999)).get("message").getAsString().contains("no process with id 999999999"));
        }
    }

    @Test
    void disconnectWithoutTerminatingLeavesALaunchedProgramRunning(@TempDir Path tmp) throws Exception {
        Path gate = tmp.resolve("gate");
        int pid;
        try (DapTestClient client = server.connect()) {
            pid = body(launch(client, launchArgs("wait_for_file", gate.toString()))).get("systemProcessId").getAsInt();
            client.event("output");
            client.ok("disconnect", Map.of("terminateDebuggee", false));
            client.awaitClosed();
        }
        Path status = Path.of("/proc", Integer.toString(pid), "status");
        assertTrue(read(status).contains("TracerPid:\t0"), "still alive and untraced: " + read(status));
        Files.createFile(gate);
        awaitCondition("the program finishes on its own", () -> !Files.exists(status) || read(status).contains("zombie"));
    }
}
