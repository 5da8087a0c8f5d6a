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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each bad request gets success: false and a message naming the problem; the session goes on. */
class BadInputTest extends DapTestBase {
    private static String failureMessage(JsonObject response) {
        assertFalse(response.get("success").getAsBoolean(), "expected a failure: " + response);
        return response.get("message").getAsString();
    }

    private static void assertFailsWith(DapTestClient client, String command, Object args, String expected) {
        String message = failureMessage(client.request(command, args));
        assertTrue(message.contains(expected), "message \"" + message + "\" should contain \"" + expected + "\"");
    }

    @Test
    void launchBeforeInitializeIsRefused() throws Exception {
        try (DapTestClient client = server.connect()) {
            assertFailsWith(client, "launch", launchArgs("hello"), "initialize");
            client.initialize();
            client.ok("launch", launchArgs("hello"));
        }
    }

    @Test
    void badLaunchArgumentsAreNamedAndAGoodLaunchStillWorks(@TempDir Path tmp) throws Exception {
        Path notExecutable = Files.writeString(tmp.resolve("script"), "#!/bin/sh\n");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            assertFailsWith(client, "launch", Map.of("program", "/no/such/program"), "program not found: /no/such/program");
            assertFailsWith(client, "launch", Map.of(), "\"program\" is required");
            assertFailsWith(client, "launch", Map.of("program", notExecutable.toString()), "not executable");
            assertFailsWith(client, "launch", Map.of("program", tmp.toString()), "is a directory");
            Map<String, Object> badCwd = launchArgs("hello");
            badCwd.put("cwd", "/no/such/dir");
            assertFailsWith(client, "launch", badCwd, "cwd is not a directory: /no/such/dir");
            Map<String, Object> badArgs = launchArgs("hello");
            badArgs.put("args", "not-a-list");
            assertFailsWith(client, "launch", badArgs, "\"args\" must be an array of strings");
            Map<String, Object> badBool = launchArgs("hello");
            badBool.put("nonStop", "yes");
            assertFailsWith(client, "launch", badBool, "\"nonStop\" must be true or false");

            Map<String, Object> good = launchArgs("hello", "3");
            good.put("initCommands", List.of("ignored by Quiesce"));
            client.ok("launch", good);
            client.ok("configurationDone", Map.of());
            assertEquals(3, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aCwdThatVanishesAfterValidationIsReportedByTheLauncher(@TempDir Path tmp) throws Exception {
        // The launcher's own chdir failure travels back through its error pipe.
        Path dir = Files.createDirectory(tmp.resolve("gone"));
        try (DapTestClient client = server.connect()) {
            client.initialize();
            Map<String, Object> args = launchArgs("hello");
            args.put("cwd", dir.toString());
            args.put("program", TestServer.program("hello").toString());
            Files.delete(dir);
            assertFailsWith(client, "launch", args, "cwd");
        }
    }

    @Test
    void unknownCommandsAndMalformedMessagesGetErrorsAndTheSessionGoesOn() throws Exception {
        try (DapTestClient client = server.connect()) {
            assertFailsWith(client, "frobnicate", Map.of(), "unknown request 'frobnicate'");
            client.sendRaw("{\"seq\": 90, \"type\": \"request\", \"command\":".getBytes(StandardCharsets.UTF_8));
            assertTrue(failureMessage(client.response(90)).contains("could not parse the request"));
            assertFailsWith(client, "pause", Map.of("threadId", "not-a-number"), "pause: argument 'threadId' must be an integer, not \"not-a-number\"");
            assertFailsWith(client, "stackTrace", Map.of("threadId", 1), "no program is being debugged");
            assertFailsWith(client, "setVariable", Map.of("variablesReference", 1, "name", "x", "value", "1"), "no program is being debugged");
            assertFailsWith(client, "pause", Map.of("threadId", 1), "no program is being debugged");
            assertFailsWith(client, "continue", Map.of("threadId", 1), "no program is being debugged");
            client.initialize();
            assertFailsWith(client, "initialize", Map.of("adapterID", "again"), "already initialized");
            client.ok("launch", launchArgs("hello"));
            client.ok("configurationDone", Map.of());
            client.event("exited");
        }
    }

    @Test
    void argumentsOfTheWrongTypeAreRefusedByName() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            assertFailsWith(client, "variables", Map.of("variablesReference", false),
                    "variables: argument 'variablesReference' must be an integer, not false");
            assertFailsWith(client, "evaluate", Map.of("expression", "x", "format", 80944),
                    "evaluate: argument 'format' must be an object, not 80944");
            assertFailsWith(client, "setBreakpoints", Map.of("source", Map.of("path", "/a.c"),
                    "breakpoints", List.of(Map.of("line", 3), Map.of("line", "4"))),
                    "setBreakpoints: argument 'breakpoints[1].line' must be an integer, not \"4\"");
            assertFailsWith(client, "next", Map.of("threadId", 1, "granularity", "word"),
                    "next: argument 'granularity' must be one of \"statement\", \"line\", \"instruction\", not \"word\"");
            assertFailsWith(client, "stackTrace", Map.of("threadId", 1e12),
                    "stackTrace: argument 'threadId' must be an integer from -2147483648 to 2147483647, not 1.0E12");
            assertFailsWith(client, "evaluate", Map.of("context", "watch"), "evaluate: argument 'expression' is required");
            assertFailsWith(client, "stepSyscall", Map.of("threadId", List.of()), "stepSyscall: argument 'threadId' must be an integer, not []");
            assertFailsWith(client, "launch", List.of("hello"), "launch: 'arguments' must be an object, not [\"hello\"]");
            client.ok("launch", launchArgs("hello", "2"));
            client.ok("configurationDone", Map.of());
            assertEquals(2, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aRequestWrittenSeqLastAsVsCodeDoesIsStillAnswered() throws Exception {
        // LSP4J reads a message front to back and gave up at the bad argument, before seq.
        try (DapTestClient client = server.connect()) {
            client.sendRaw("""
                    {"command":"evaluate","arguments":{"expression":"x","format":80944},"type":"request","seq":41}"""
                    .getBytes(StandardCharsets.UTF_8));
            JsonObject response = client.response(41);
            assertEquals("evaluate", response.get("command").getAsString());
            assertEquals("evaluate: argument 'format' must be an object, not 80944", failureMessage(response));
            client.sendRaw("""
                    {"command":"variables","arguments":{"variablesReference":false},"type":"request","seq":42}"""
                    .getBytes(StandardCharsets.UTF_8));
            assertEquals("variables: argument 'variablesReference' must be an integer, not false",
                    failureMessage(client.response(42)));
            client.sendRaw("{\"command\":{\"nested\":1},\"type\":\"request\",\"seq\":43}".getBytes(StandardCharsets.UTF_8));
            assertTrue(failureMessage(client.response(43)).contains("'command' must be a string"));
        }
    }

    @Test
    void everyErrorResponseCarriesTheMessageAsAStructuredError() throws Exception {
        try (DapTestClient client = server.connect()) {
            for (JsonObject response : List.of(client.request("frobnicate", Map.of()),
                    client.request("stackTrace", Map.of("threadId", 1)),
                    client.request("evaluate", Map.of("expression", "x", "format", 80944)))) {
                JsonObject error = body(response).getAsJsonObject("error");
                assertEquals(response.get("message").getAsString(), error.get("format").getAsString(), response.toString());
                assertFalse(error.get("showUser").getAsBoolean());
            }
            JsonObject refused = client.request("launch", Map.of("program", "/no/such/program"));
            JsonObject error = body(refused).getAsJsonObject("error");
            assertTrue(error.get("showUser").getAsBoolean(), "a launch that fails is shown: " + refused);
            assertEquals(refused.get("message").getAsString(), error.get("format").getAsString());
        }
    }

    @Test
    void requestsAboutAThreadThatDoesNotExistNameIt(@TempDir Path tmp) throws Exception {
        Path gate = tmp.resolve("gate");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("wait_for_file", gate.toString()));
            client.ok("configurationDone", Map.of());
            client.event("output");
            assertFailsWith(client, "pause", Map.of("threadId", 999999), "thread 999999 does not exist");
            assertFailsWith(client, "continue", Map.of("threadId", 999999), "thread 999999 does not exist");
            assertFailsWith(client, "pause", null, "threadId");
            assertFailsWith(client, "launch", launchArgs("hello"), "already debugs a program");
            Files.createFile(gate);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void terminateWithoutAProgramIsRefused() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            assertFailsWith(client, "terminate", Map.of(), "no running program");
            client.ok("disconnect", Map.of());
            client.awaitClosed();
        }
    }

    @Test
    void wrongFramingIsSurvivedByOtherSessions() throws Exception {
        try (DapTestClient broken = server.connect()) {
            broken.sendFramed("Content-Length: nonsense\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
                    "{}".getBytes(StandardCharsets.US_ASCII));
            try (DapTestClient healthy = server.connect()) {
                healthy.initialize();
                healthy.ok("launch", launchArgs("hello", "0"));
                healthy.ok("configurationDone", new HashMap<>());
                healthy.event("exited");
            }
        }
    }

    @Test
    void aTenMegabyteMessageGetsAnAnswerAndTheSessionGoesOn() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            String huge = "x".repeat(10 * 1024 * 1024);
            assertFailsWith(client, "evaluate", Map.of("expression", huge, "context", "repl"), "no program is being debugged");
            client.ok("launch", launchArgs("hello", "1"));
            client.ok("configurationDone", Map.of());
            assertEquals(1, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }
}
