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
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.Signal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signal policy, signal stops and exceptionInfo (issue 7, signals part). */
class SignalTest extends DapTestBase {
    private static String console(DapTestClient client) {
        StringBuilder text = new StringBuilder();
        for (JsonObject m : client.history()) {
            if (m.has("event") && m.get("event").getAsString().equals("output")
                    && body(m).get("category").getAsString().equals("console")) {
                text.append(body(m).get("output").getAsString());
            }
        }
        return text.toString();
    }

    @Test
    void stopAndPassThenPrintOnlyThenStopAndSuppress() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("signals");
            args.put("signals", Map.of(
                    "SIGUSR2", Map.of("stop", false, "print", true, "pass", true),
                    "SIGHUP", Map.of("stop", true, "pass", false)));
            launch(client, args);
            JsonObject first = client.event("stopped");
            assertEquals("exception", body(first).get("reason").getAsString());
            assertEquals("Signal SIGUSR1 (User defined signal 1)", body(first).get("description").getAsString());
            int tid = body(first).get("threadId").getAsInt();
            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", tid)));
            assertEquals("SIGUSR1", info.get("exceptionId").getAsString());
            assertTrue(info.getAsJsonObject("details").get("message").getAsString().startsWith("SI_TKILL from pid "),
                    info.toString());
            client.ok("continue", Map.of("threadId", tid)); // passed: the handler runs
            JsonObject third = client.event("stopped");
            assertEquals("Signal SIGHUP (Hangup)", body(third).get("description").getAsString());
            client.ok("continue", Map.of("threadId", tid)); // suppressed: the handler does not run
            assertEquals(2, body(client.event("exited")).get("exitCode").getAsInt());
            assertTrue(console(client).contains("received signal SIGUSR2 (User defined signal 2)"), console(client));
        }
    }

    @Test
    void signalPolicyChangesAtRunTime() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("signals"));
            int tid = body(client.event("stopped")).get("threadId").getAsInt(); // SIGUSR1 by default
            JsonObject changed = body(client.ok("signalPolicy", Map.of("signal", "SIGUSR1", "pass", false)));
            assertFalse(changed.get("pass").getAsBoolean());
            client.ok("signalPolicy", Map.of("signal", "usr2", "stop", false, "print", false));
            client.ok("signalPolicy", Map.of("signal", "SIGHUP", "stop", false));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(2, body(client.event("exited")).get("exitCode").getAsInt(), "SIGUSR1 suppressed on continue");
            String message = client.request("signalPolicy", Map.of("signal", "SIGFOO")).get("message").getAsString();
            assertTrue(message.contains("unknown signal \"SIGFOO\""), message);
        }
    }

    @Test
    void theSignalFilterConditionPicksWhichSignalsStop() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of(),
                    "filterOptions", List.of(Map.of("filterId", "signal", "condition", "SIGHUP"))));
            client.ok("launch", launchArgs("signals"));
            client.ok("configurationDone", Map.of());
            JsonObject stopped = client.event("stopped");
            assertEquals("Signal SIGHUP (Hangup)", body(stopped).get("description").getAsString());
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            assertEquals(3, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void withTheSignalFilterOffNothingStops() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of()));
            client.ok("launch", launchArgs("signals"));
            client.ok("configurationDone", Map.of());
            assertEquals(3, body(client.event("exited")).get("exitCode").getAsInt());
            assertTrue(client.history().stream().noneMatch(m -> m.has("event") && m.get("event").getAsString().equals("stopped")));
        }
    }

    @Test
    void aSegfaultStopsWithItsFaultAddressAndThenKills() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("crash"));
            JsonObject stopped = client.event("stopped");
            assertEquals("Signal SIGSEGV (Segmentation fault)", body(stopped).get("description").getAsString());
            int tid = body(stopped).get("threadId").getAsInt();
            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", tid)));
            assertEquals("SEGV_MAPERR at address 0x0", info.getAsJsonObject("details").get("message").getAsString());
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(128 + 11, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void abortStopsWithSigabrt() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("aborts"));
            JsonObject stopped = client.event("stopped");
            assertEquals("SIGABRT", body(stopped).get("text").getAsString());
            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", body(stopped).get("threadId").getAsInt())));
            assertTrue(info.getAsJsonObject("details").get("message").getAsString().startsWith("SI_TKILL"), info.toString());
        }
    }

    @Test
    void aSignalSentToOneThreadStopsThatThread() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("tgkill_thread"));
            String target = body(client.event("output", e -> body(e).get("output").getAsString().startsWith("target ")))
                    .get("output").getAsString().strip().substring(7);
            JsonObject stopped = client.event("stopped");
            assertEquals(Integer.parseInt(target), body(stopped).get("threadId").getAsInt());
            assertFalse(body(stopped).get("allThreadsStopped").getAsBoolean());
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt(), "the handler ran on that thread");
        }
    }

    @Test
    void stopAndContinueFromOutsideAreReportedAndHonoured(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            int pid = body(launch(client, launchArgs("threads", "2", stopFile.toString()))).get("systemProcessId").getAsInt();
            client.event("output", e -> body(e).get("output").getAsString().contains("started 2 threads"));
            LibC.kill(pid, Signal.SIGSTOP.number());
            JsonObject stopped = client.event("stopped");
            assertEquals("SIGSTOP", body(stopped).get("text").getAsString());
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt())); // passed: a job-control stop
            LibC.kill(pid, Signal.SIGCONT.number());
            JsonObject cont = client.event("stopped"); // SIGCONT stops too by default (print, pass)
            assertEquals("SIGCONT", body(cont).get("text").getAsString());
            client.ok("continue", Map.of("threadId", body(cont).get("threadId").getAsInt()));
            Files.createFile(stopFile);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aRealTimeSignalSentToOneThreadStopsThatThread() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("tgkill_thread", "36")); // SIGRTMIN+2: not one glibc keeps for itself
            String target = body(client.event("output", e -> body(e).get("output").getAsString().startsWith("target ")))
                    .get("output").getAsString().strip().substring(7);
            JsonObject stopped = client.event("stopped");
            assertEquals(Integer.parseInt(target), body(stopped).get("threadId").getAsInt());
            assertEquals("SIG36", body(stopped).get("text").getAsString());
            assertEquals("Signal SIG36 (Real-time event 36)", body(stopped).get("description").getAsString());
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt(), "delivered to that thread");
        }
    }

    @Test
    void allStopReportsTwoSimultaneousSignalsOneAfterTheOther() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("twin_signals");
            args.put("nonStop", false);
            launch(client, args);
            java.util.Set<Integer> threads = new java.util.HashSet<>();
            for (int i = 0; i < 2; i++) {
                JsonObject stopped = client.event("stopped");
                assertEquals("SIGUSR1", body(stopped).get("text").getAsString());
                assertTrue(body(stopped).get("allThreadsStopped").getAsBoolean());
                threads.add(body(stopped).get("threadId").getAsInt());
                client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            }
            assertEquals(2, threads.size(), "each thread's signal reported once");
            assertEquals(2, body(client.event("exited")).get("exitCode").getAsInt(), "both delivered");
        }
    }
}
