package dev.quiesce.dap;

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
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * attach by {@code pid} (the alias lldb-dap and CodeLLDB use), by {@code program} (path or file
 * name), and {@code waitFor} (issue 16). Each test runs its own copy of a test program under a
 * name nobody else uses, so other tests' processes are never matched.
 */
class AttachByProgramTest extends DapTestBase {
    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    private static Path copy(String program, Path tmp) throws IOException {
        Path exe = tmp.resolve("quiesce-" + program + "-" + UUID.randomUUID().toString().substring(0, 8));
        Files.copy(TestServer.program(program), exe, StandardCopyOption.COPY_ATTRIBUTES);
        return exe;
    }

    /**
     * Runs {@code exe args} as a shell's background job (a grandchild of this JVM, so the JDK's
     * reaper never waits for it); returns its pid.
     */
    private static int background(Path exe, Path tmp, String... args) throws Exception {
        Path pidFile = Files.createTempFile(tmp, "pid", "");
        new ProcessBuilder(List.of("sh", "-c", "\"$0\" \"$@\" > /dev/null & echo $! > " + pidFile + "; wait",
                exe.toString(), String.join(" ", args))).start();
        awaitCondition("the program runs", () -> read(pidFile).endsWith("\n"));
        int pid = Integer.parseInt(read(pidFile).strip());
        awaitCondition("it has exec'd", () -> {
            try {
                return Path.of("/proc", Integer.toString(pid), "exe").toRealPath().equals(exe.toRealPath());
            } catch (IOException e) {
                return false;
            }
        });
        return pid;
    }

    private static int attachedPid(Map<String, Object> attach) {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("attach", attach);
            int pid = body(client.event("process")).get("systemProcessId").getAsInt();
            client.ok("configurationDone", Map.of());
            client.ok("disconnect", Map.of());
            client.awaitClosed();
            return pid;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pidIsProcessIdAndProgramNamesTheOneRunningProcess(@TempDir Path tmp) throws Exception {
        Path exe = copy("wait_for_file", tmp);
        Path gate = tmp.resolve("gate");
        int pid = background(exe, tmp, gate.toString());
        assertEquals(pid, attachedPid(Map.of("pid", pid)));
        assertEquals(pid, attachedPid(Map.of("pid", Integer.toString(pid))));
        assertEquals(pid, attachedPid(Map.of("program", exe.toString())));
        assertEquals(pid, attachedPid(Map.of("program", exe.getFileName().toString())));
        Files.createFile(gate);
        awaitCondition("the program ends untraced", () -> !Files.exists(Path.of("/proc", Integer.toString(pid), "exe")));
    }

    @Test
    void twoRunningProcessesOfTheProgramAreAnErrorThatListsThem(@TempDir Path tmp) throws Exception {
        Path exe = copy("wait_for_file", tmp);
        Path gate = tmp.resolve("gate");
        int first = background(exe, tmp, gate.toString());
        int second = background(exe, tmp, gate.toString());
        try (DapTestClient client = server.connect()) {
            client.initialize();
            String message = client.request("attach", Map.of("program", exe.toString())).get("message").getAsString();
            assertTrue(message.contains("2 processes of") && message.contains(first + " (") && message.contains(second + " ("), message);
            String none = client.request("attach", Map.of("program", tmp.resolve("nothing").toString())).get("message").getAsString();
            assertTrue(none.contains("no running process of") && none.contains("waitFor"), none);
            String both = client.request("attach", Map.of("pid", first, "program", exe.toString(), "waitFor", true))
                    .get("message").getAsString();
            assertTrue(both.contains("leave \"pid\" out"), both);
        } finally {
            // Wait for both to see the gate: @TempDir deletes it as soon as the test returns, and a
            // program that had not looked yet would then wait for it forever, left behind.
            Files.createFile(gate);
            for (int pid : new int[] {first, second})
                awaitCondition("program " + pid + " ends", () -> !Files.exists(Path.of("/proc", Integer.toString(pid), "exe")));
        }
    }

    /**
     * The console line that says the wait has begun (from then on every exec is caught), or, where
     * the server may not use fanotify (not root, no CAP_SYS_ADMIN), its refusal: then the test is
     * skipped, naming why.
     */
    private static void awaitWaiting(DapTestClient client, int attachSeq, Path exe) {
        JsonObject first = client.next(m -> DapTestClient.isType(m, "event") && "output".equals(m.get("event").getAsString())
                        && body(m).get("output").getAsString().contains("waiting for " + exe)
                        || DapTestClient.isType(m, "response") && m.get("request_seq").getAsInt() == attachSeq,
                "the wait to begin or the attach to be refused");
        if (DapTestClient.isType(first, "response")) {
            String message = first.has("message") ? first.get("message").getAsString() : first.toString();
            org.junit.jupiter.api.Assumptions.assumeFalse(message.contains("fanotify"), message);
            throw new AssertionError("attach answered before the program started: " + first);
        }
    }

    @Test
    void waitForCatchesTheNextStartBeforeItsMainRuns(@TempDir Path tmp) throws Exception {
        Path exe = copy("hello", tmp);
        Path out = tmp.resolve("out");
        Path code = tmp.resolve("code");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            int attachSeq = client.send("attach", Map.of("program", exe.toString(), "waitFor", true));
            awaitWaiting(client, attachSeq, exe);
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "main"))));
            client.ok("configurationDone", Map.of());
            // Started after the request; not the shell's last command, so the shell does not exec it.
            Process shell = new ProcessBuilder("sh", "-c", "\"$0\" > \"$1\" 2>&1; echo $? > \"$2\"",
                    exe.toString(), out.toString(), code.toString()).start();
            JsonObject attached = client.response(attachSeq);
            assertTrue(attached.get("success").getAsBoolean(), attached.toString());
            JsonObject process = client.event("process");
            assertEquals("attach", body(process).get("startMethod").getAsString());
            JsonObject stopped = client.event("stopped");
            assertEquals("function breakpoint", body(stopped).get("reason").getAsString());
            assertEquals("", read(out), "stopped at main before it printed anything");
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS));
            assertEquals("hello from quiesce\na line on stderr\n", read(out));
            assertEquals("0", read(code).strip());
            client.assertSchemaValid();
        }
    }

    @Test
    void waitForWithoutFanotifyPollsProcAndAttachesTheNewProcess(@TempDir Path tmp) throws Exception {
        Path exe = copy("wait_for_file", tmp);
        Path gate = tmp.resolve("gate");
        System.setProperty("quiesce.waitFor.poll", "true"); // the server runs in this JVM (TestServer)
        try (DapTestClient client = server.connect()) {
            client.initialize();
            int attachSeq = client.send("attach", Map.of("program", exe.toString(), "waitFor", true));
            JsonObject waiting = client.event("output", e -> body(e).get("output").getAsString().contains("waiting for " + exe));
            assertTrue(body(waiting).get("output").getAsString().contains("watching /proc"), waiting.toString());
            client.ok("configurationDone", Map.of());
            int pid = background(exe, tmp, gate.toString());
            JsonObject attached = client.response(attachSeq);
            assertTrue(attached.get("success").getAsBoolean(), attached.toString());
            assertEquals(pid, body(client.event("process")).get("systemProcessId").getAsInt());
            int tid = body(client.event("thread")).get("threadId").getAsInt();
            client.ok("pause", Map.of("threadId", tid));
            assertEquals("pause", body(client.event("stopped")).get("reason").getAsString());
            client.ok("continue", Map.of("threadId", tid));
            Files.createFile(gate);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            client.assertSchemaValid();
        } finally {
            System.clearProperty("quiesce.waitFor.poll");
        }
    }

    @Test
    void disconnectWhileWaitingAnswersTheAttach(@TempDir Path tmp) throws Exception {
        Path exe = copy("hello", tmp);
        try (DapTestClient client = server.connect()) {
            client.initialize();
            int attachSeq = client.send("attach", Map.of("program", exe.toString(), "waitFor", true));
            awaitWaiting(client, attachSeq, exe);
            int disconnectSeq = client.send("disconnect", Map.of());
            JsonObject attach = client.response(attachSeq);
            assertFalse(attach.get("success").getAsBoolean());
            assertTrue(attach.get("message").getAsString().contains("stopped waiting"), attach.toString());
            client.response(disconnectSeq);
        }
        // Nothing is left watching: the program runs normally.
        Process run = new ProcessBuilder(exe.toString(), "7").start();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        assertEquals(7, run.exitValue());
    }
}
