package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.core.Cores;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.Gdb;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * launch with {@code coreFile} (issue 16): a kernel core and a gcore of core_dump, read over DAP
 * and compared with gdb 13 on the same core: the stop, threads, stack, variables, evaluate,
 * memory and disassembly; requests that would run the program say it is not running.
 */
class CoreFileSessionTest extends DapTestBase {
    private static final String NOT_RUNNING = "the program is not running (core file)";

    private static List<String> gdbPrints(Path core, String... commands) throws Exception {
        String[] all = new String[commands.length + 1];
        all[0] = "core-file " + core;
        System.arraycopy(commands, 0, all, 1, commands.length);
        return Gdb.printed(Gdb.run(core.getParent(), Cores.program(), List.of(), all));
    }

    private static JsonObject openCore(DapTestClient client, Path core) {
        client.initialize();
        client.ok("launch", Map.of("program", Cores.program().toString(), "coreFile", core.toString()));
        client.event("process");
        client.ok("configurationDone", Map.of());
        return client.event("stopped");
    }

    private static JsonArray frames(DapTestClient client, int tid) {
        return body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
    }

    private static int frameNamed(JsonArray frames, String name) {
        for (JsonElement f : frames) {
            if (f.getAsJsonObject().get("name").getAsString().equals(name)) {
                return f.getAsJsonObject().get("id").getAsInt();
            }
        }
        throw new AssertionError("no frame " + name + " in " + frames);
    }

    private static String watch(DapTestClient client, int frame, String expression) {
        return body(client.ok("evaluate", Map.of("expression", expression, "frameId", frame, "context", "watch")))
                .get("result").getAsString();
    }

    private static String variable(DapTestClient client, int frame, String scope, String name) {
        for (JsonElement s : body(client.ok("scopes", Map.of("frameId", frame))).getAsJsonArray("scopes")) {
            if (s.getAsJsonObject().get("name").getAsString().equals(scope)) {
                int ref = s.getAsJsonObject().get("variablesReference").getAsInt();
                for (JsonElement v : body(client.ok("variables", Map.of("variablesReference", ref))).getAsJsonArray("variables")) {
                    if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
                        return v.getAsJsonObject().get("value").getAsString();
                    }
                }
            }
        }
        throw new AssertionError("no " + name + " in " + scope);
    }

    @Test
    void aKernelCoreShowsTheCrashAndItsValuesAsGdbDoes(@TempDir Path dir) throws Exception {
        Path core = Cores.kernelCore(dir);
        List<String> gdb = gdbPrints(core, "frame 1", "print origin", "print n", "frame 0", "print depth",
                "print p->x * scale", "print scale", "print/x $pc");
        try (DapTestClient client = server.connect()) {
            JsonObject stopped = body(openCore(client, core));
            assertEquals("exception", stopped.get("reason").getAsString());
            assertEquals("Signal SIGSEGV (Segmentation fault)", stopped.get("description").getAsString());
            assertTrue(stopped.get("allThreadsStopped").getAsBoolean());
            int tid = stopped.get("threadId").getAsInt();
            assertEquals(3, body(client.ok("threads", null)).getAsJsonArray("threads").size());
            JsonObject info = body(client.ok("exceptionInfo", Map.of("threadId", tid)));
            assertEquals("SIGSEGV", info.get("exceptionId").getAsString());
            assertTrue(info.get("description").getAsString().contains("address 0x10"), info.toString());

            JsonArray frames = frames(client, tid);
            List<String> names = frames.asList().stream().map(f -> f.getAsJsonObject().get("name").getAsString()).toList();
            assertEquals(List.of("level2", "level1", "main"), names.subList(0, 3), names.toString());
            JsonObject top = frames.get(0).getAsJsonObject();
            assertTrue(top.getAsJsonObject("source").get("path").getAsString().endsWith("core_dump.c"));
            assertEquals(lineOf("/* the fault */"), top.get("line").getAsInt());

            int level1 = frameNamed(frames, "level1");
            int level2 = frameNamed(frames, "level2");
            assertEquals(gdb.get(0), variable(client, level1, "Locals", "origin"));
            assertEquals(gdb.get(1), variable(client, level1, "Arguments", "n"));
            assertEquals(gdb.get(2), variable(client, level2, "Arguments", "depth"));
            assertEquals(gdb.get(3), watch(client, level2, "p->x * scale"));
            assertEquals(gdb.get(4), watch(client, level2, "scale"));
            assertEquals(gdb.get(5), top.get("instructionPointerReference").getAsString());

            // Code is not in a kernel core: these bytes come from the program's file, as gdb's do.
            String pc = top.get("instructionPointerReference").getAsString();
            String data = body(client.ok("readMemory", Map.of("memoryReference", pc, "count", 8))).get("data").getAsString();
            String gdbBytes = String.join("", Gdb.run(dir, Cores.program(), List.of(), "core-file " + core, "x/8xb $pc")
                    .lines().filter(l -> l.startsWith("0x")).map(l -> l.substring(l.indexOf(':') + 1).trim().replace("0x", "").replace("\t", "")
                            .replace(" ", "")).toList());
            assertEquals(gdbBytes, HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(data)));
            JsonArray insns = body(client.ok("disassemble", Map.of("memoryReference", pc, "instructionCount", 3)))
                    .getAsJsonArray("instructions");
            assertEquals(pc, insns.get(0).getAsJsonObject().get("address").getAsString());
            assertFalse(insns.get(0).getAsJsonObject().get("instruction").getAsString().contains("??"));
            String modules = body(client.ok("modules", Map.of())).getAsJsonArray("modules").toString();
            assertTrue(modules.contains("core_dump") && modules.contains("libc.so.6"), modules);

            for (Map.Entry<String, Map<String, Object>> request : Map.<String, Map<String, Object>>of(
                    "continue", Map.of("threadId", tid), "next", Map.of("threadId", tid), "stepIn", Map.of("threadId", tid),
                    "stepOut", Map.of("threadId", tid), "pause", Map.of("threadId", tid),
                    "writeMemory", Map.of("memoryReference", pc, "data", "AA=="), "terminate", Map.of()).entrySet()) {
                JsonObject refused = client.request(request.getKey(), request.getValue());
                assertFalse(refused.get("success").getAsBoolean(), request.getKey());
                assertTrue(refused.get("message").getAsString().contains(NOT_RUNNING), refused.toString());
            }
            int ref = body(client.ok("scopes", Map.of("frameId", level1))).getAsJsonArray("scopes").get(0).getAsJsonObject()
                    .get("variablesReference").getAsInt();
            JsonObject set = client.request("setVariable", Map.of("variablesReference", ref, "name", "n", "value", "1"));
            assertTrue(set.get("message").getAsString().contains(NOT_RUNNING), set.toString());
            assertEquals(gdb.get(1), variable(client, level1, "Arguments", "n"), "nothing was written");
            client.ok("disconnect", Map.of());
            client.awaitClosed();
            client.assertSchemaValid();
        }
    }

    @Test
    void aGcoreOfARunningProgramShowsItsThreadsAndValues(@TempDir Path dir) throws Exception {
        Path core = Cores.gcore(dir);
        List<String> gdb = gdbPrints(core, "thread 1", "frame function level1", "print origin");
        try (DapTestClient client = server.connect()) {
            int tid = body(openCore(client, core)).get("threadId").getAsInt();
            assertEquals(3, body(client.ok("threads", null)).getAsJsonArray("threads").size());
            JsonArray frames = frames(client, tid);
            int level1 = frameNamed(frames, "level1");
            frameNamed(frames, "level2");
            assertEquals(gdb.get(0), variable(client, level1, "Locals", "origin"));
            client.assertSchemaValid();
        }
    }

    @Test
    void aTruncatedOrForeignCoreIsRefusedSayingWhy(@TempDir Path dir) throws Exception {
        Path core = Cores.kernelCore(dir);
        Path half = dir.resolve("half");
        byte[] all = Files.readAllBytes(core);
        Files.write(half, Arrays.copyOf(all, all.length / 2));
        try (DapTestClient client = server.connect()) {
            client.initialize();
            String program = Cores.program().toString();
            assertTrue(message(client, Map.of("program", program, "coreFile", half.toString())).contains("is truncated"));
            assertTrue(message(client, Map.of("program", program, "coreFile", program)).contains("not a core file"));
            assertTrue(message(client, Map.of("program", program, "coreFile", dir.resolve("none").toString())).contains("core file not found"));
            assertTrue(message(client, Map.of("coreFile", core.toString())).contains("needs \"program\""));
            // The session still works after the refusals.
            client.ok("launch", Map.of("program", program, "coreFile", core.toString()));
        }
    }

    private static String message(DapTestClient client, Map<String, Object> launch) {
        JsonObject response = client.request("launch", launch);
        assertFalse(response.get("success").getAsBoolean(), response.toString());
        return response.get("message").getAsString();
    }

    private static int lineOf(String marker) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(BreakpointsAndSteppingTest.source("core_dump.c")));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker);
    }
}
