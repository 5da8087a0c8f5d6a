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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** stepSyscall and syscall catchpoints (issue 7, syscalls part). */
class SyscallTest extends DapTestBase {
    private static String step(DapTestClient client, int tid) {
        client.ok("stepSyscall", Map.of("threadId", tid));
        assertEquals(tid, body(client.event("continued")).get("threadId").getAsInt());
        JsonObject stopped = client.event("stopped");
        assertEquals("syscall", body(stopped).get("reason").getAsString());
        assertEquals(tid, body(stopped).get("threadId").getAsInt());
        return body(stopped).get("description").getAsString();
    }

    @Test
    void stepSyscallThroughOpenWriteAndClose() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("syscalls");
            args.put("catchSyscalls", List.of("openat"));
            launch(client, args);
            // The dynamic loader opens libraries first; catch until the program's own openat.
            JsonObject stopped = client.event("stopped");
            while (!body(stopped).get("description").getAsString().contains("/dev/null")) {
                client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
                stopped = client.event("stopped");
            }
            int tid = body(stopped).get("threadId").getAsInt();
            assertEquals("syscall entry: openat(AT_FDCWD, \"/dev/null\", O_WRONLY)", body(stopped).get("description").getAsString());
            assertEquals("syscall exit: openat = 3", step(client, tid));
            assertEquals("syscall entry: write(3, \"hello\\n\", 6)", step(client, tid));
            assertEquals("syscall exit: write = 6", step(client, tid));
            assertEquals("syscall entry: close(3)", step(client, tid));
            assertEquals("syscall exit: close = 0", step(client, tid));
            assertEquals("syscall entry: openat(AT_FDCWD, \"/nonexistent/x\", O_RDONLY)", step(client, tid));
            assertEquals("syscall exit: openat = -1 ENOENT", step(client, tid));
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aCatchpointOnWriteStopsOnlyTheThreadThatWrites() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of("signal"),
                    "filterOptions", List.of(Map.of("filterId", "syscall", "condition", "write"))));
            client.ok("launch", launchArgs("thread_writer"));
            client.ok("configurationDone", Map.of());
            JsonObject stopped = client.event("stopped");
            String description = body(stopped).get("description").getAsString();
            assertTrue(description.startsWith("syscall entry: write(1, \"worker tid "), description);
            String tid = description.replaceAll(".*worker tid (\\d+).*", "$1");
            assertEquals(Integer.parseInt(tid), body(stopped).get("threadId").getAsInt());
            assertFalse(body(stopped).get("allThreadsStopped").getAsBoolean());
            client.ok("continue", Map.of("threadId", body(stopped).get("threadId").getAsInt()));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void syscallRequestsExplainTheirMistakes() throws Exception {
        try (DapTestClient client = server.connect()) {
            client.initialize();
            Map<String, Object> args = launchArgs("syscalls");
            args.put("catchSyscalls", List.of("frobnicate"));
            assertTrue(client.request("launch", args).get("message").getAsString().contains("unknown syscall \"frobnicate\""));
            client.ok("launch", launchArgs("wait_for_file", "/nonexistent/never"));
            client.ok("configurationDone", Map.of());
            client.event("output");
            int pid = body(client.ok("threads", null)).getAsJsonArray("threads").get(0).getAsJsonObject().get("id").getAsInt();
            String message = client.request("stepSyscall", Map.of("threadId", pid)).get("message").getAsString();
            assertTrue(message.contains("is running; pause it"), message);
        }
    }

    @Test
    void aProgramWithLaunchCatchpointsIsNotDetachedButSaysWhy(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("wait_for_file", tmp.resolve("gate").toString());
            args.put("catchSyscalls", List.of("unlink"));
            launch(client, args);
            client.event("output");
            String message = client.request("disconnect", Map.of("terminateDebuggee", false)).get("message").getAsString();
            assertTrue(message.contains("seccomp filter needs a tracer"), message);
            client.ok("disconnect", Map.of()); // ending it works
            client.awaitClosed();
        }
    }
}
