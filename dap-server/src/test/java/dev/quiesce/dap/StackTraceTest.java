package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launch;
import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StackTraceTest extends DapTestBase {

    private static JsonArray frames(JsonObject response) {
        return body(response).getAsJsonArray("stackFrames");
    }

    private static String describe(JsonObject frame) {
        String where = frame.has("source") ? frame.getAsJsonObject("source").get("name").getAsString() + ":" + frame.get("line").getAsInt() : "";
        return frame.get("name").getAsString() + " " + where;
    }

    @Test
    void aCrashShowsTheFaultingSourceLineAndTheStackBelowIt() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("crash"));
            JsonObject stopped = client.event("stopped");
            assertEquals("exception", body(stopped).get("reason").getAsString());
            int tid = body(stopped).get("threadId").getAsInt();
            JsonObject response = client.ok("stackTrace", Map.of("threadId", tid));
            JsonArray frames = frames(response);
            JsonObject top = frames.get(0).getAsJsonObject();
            assertEquals("main crash.c:9", describe(top));
            assertTrue(top.getAsJsonObject("source").get("path").getAsString().endsWith("/test-programs/src/crash.c"));
            assertTrue(top.get("instructionPointerReference").getAsString().matches("0x[0-9a-f]+"));
            assertTrue(top.get("moduleId").getAsString().contains("/crash@"));
            assertEquals(frames.size(), body(response).get("totalFrames").getAsInt());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void aSyscallCatchpointStopShowsTheCallersSourceLineBelowLibc() throws Exception {
        try (DapTestClient client = server.connect()) {
            Map<String, Object> args = launchArgs("syscalls");
            args.put("catchSyscalls", List.of("write"));
            launch(client, args);
            JsonObject stopped = client.event("stopped");
            assertEquals("syscall", body(stopped).get("reason").getAsString());
            int tid = body(stopped).get("threadId").getAsInt();
            JsonArray frames = frames(client.ok("stackTrace", Map.of("threadId", tid)));
            JsonObject libc = frames.get(0).getAsJsonObject();
            assertTrue(libc.get("name").getAsString().contains("write"), describe(libc));
            // libc6-dbg names ./io/../sysdeps/unix/sysv/linux/write.c, which this machine does not
            // have: the frame shows disassembly, not a "source not found" tab.
            JsonObject libcSource = libc.getAsJsonObject("source");
            assertTrue(libcSource.get("sourceReference").getAsInt() > 0, libc.toString());
            assertFalse(libcSource.has("path"), libc.toString());
            assertEquals("deemphasize", libcSource.get("presentationHint").getAsString(), libc.toString());
            JsonObject caller = null;
            for (var f : frames) {
                if (f.getAsJsonObject().get("name").getAsString().equals("main")) {
                    caller = f.getAsJsonObject();
                    break;
                }
            }
            assertTrue(caller != null, frames.toString());
            assertEquals("main syscalls.c:11", describe(caller), "the line that calls write()");
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void framesArePagedWithStartFrameAndLevels() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("crash"));
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonArray all = frames(client.ok("stackTrace", Map.of("threadId", tid)));
            assertTrue(all.size() >= 3, all.toString()); // main, __libc_start_call_main, ..., _start
            JsonObject page = client.ok("stackTrace", Map.of("threadId", tid, "startFrame", 1, "levels", 1));
            assertEquals(1, frames(page).size());
            assertEquals(all.size(), body(page).get("totalFrames").getAsInt());
            assertEquals(all.get(1).getAsJsonObject().get("name"), frames(page).get(0).getAsJsonObject().get("name"));
            assertEquals(0, frames(client.ok("stackTrace", Map.of("threadId", tid, "startFrame", 1000))).size());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void aRunningThreadOrAMissingOneGetsAnErrorAndTheSessionGoesOn(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (DapTestClient client = server.connect()) {
            JsonObject process = launch(client, launchArgs("wait_for_file", tmp.resolve("gate").toString()));
            int pid = body(process).get("systemProcessId").getAsInt();
            client.event("output");
            JsonObject running = client.request("stackTrace", Map.of("threadId", pid));
            assertFalse(running.get("success").getAsBoolean());
            assertTrue(running.get("message").getAsString().contains("is running"), running.toString());
            JsonObject missing = client.request("stackTrace", Map.of("threadId", 999999));
            assertFalse(missing.get("success").getAsBoolean());
            assertTrue(missing.get("message").getAsString().contains("does not exist"), missing.toString());
            client.ok("pause", Map.of("threadId", pid));
            client.event("stopped");
            JsonArray frames = frames(client.ok("stackTrace", Map.of("threadId", pid)));
            assertTrue(frames.toString().contains("wait_for_file.c"), frames.toString());
            java.nio.file.Files.createFile(tmp.resolve("gate"));
            client.ok("continue", Map.of("threadId", pid));
            client.event("exited");
        }
    }
}
