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
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** readMemory, writeMemory and disassemble while the program's threads run (non-stop). */
class MemoryTest extends DapTestBase {
    @Test
    void readWriteAndDisassembleWhileThreadsRun() throws Exception {
        Path program = TestServer.program("bp_threads");
        long hitMe = TestServer.symbol(program, "hit_me");
        long counters = TestServer.symbol(program, "counters");
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("bp_threads", "4", "0", "100000"));
            client.event("thread", e -> body(e).get("reason").getAsString().equals("started"));

            JsonObject read = body(client.ok("readMemory", Map.of("memoryReference", "0x" + Long.toHexString(hitMe), "count", 4)));
            byte[] code = Base64.getDecoder().decode(read.get("data").getAsString());
            assertEquals(0x55, code[0] & 0xff, "push %rbp opens hit_me");

            JsonArray insns = body(client.ok("disassemble", Map.of("memoryReference", "0x" + Long.toHexString(hitMe),
                    "instructionOffset", -2, "instructionCount", 5))).getAsJsonArray("instructions");
            assertEquals(5, insns.size());
            JsonObject at = insns.get(2).getAsJsonObject();
            assertEquals("0x" + Long.toHexString(hitMe), at.get("address").getAsString(), insns.toString());
            assertEquals("55", at.get("instructionBytes").getAsString());
            assertTrue(at.get("instruction").getAsString().startsWith("push"), at.toString());
            assertEquals("48 89 e5", insns.get(3).getAsJsonObject().get("instructionBytes").getAsString());

            long spare = counters + 8 * 63; // counters[63]: no worker uses it
            String data = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            JsonObject written = body(client.ok("writeMemory", Map.of("memoryReference", "0x" + Long.toHexString(spare), "data", data)));
            assertEquals(8, written.get("bytesWritten").getAsInt());
            client.event("invalidated");
            JsonObject back = body(client.ok("readMemory", Map.of("memoryReference", Long.toString(spare), "count", 8)));
            assertEquals(data, back.get("data").getAsString());

            JsonObject unmapped = body(client.ok("readMemory", Map.of("memoryReference", "0x10", "count", 16)));
            assertEquals(16, unmapped.get("unreadableBytes").getAsInt());
            JsonArray none = body(client.ok("disassemble", Map.of("memoryReference", "0x10", "instructionCount", 2)))
                    .getAsJsonArray("instructions");
            assertEquals("??", none.get(0).getAsJsonObject().get("instruction").getAsString());
            // 2^31 - 1 instructions used to overflow the span read and loop that many times
            JsonObject huge = client.request("disassemble", Map.of("memoryReference", "0x" + Long.toHexString(hitMe),
                    "instructionCount", Integer.MAX_VALUE, "instructionOffset", Integer.MIN_VALUE));
            assertFalse(huge.get("success").getAsBoolean());
            assertTrue(huge.get("message").getAsString().contains("must be within"), huge.toString());

            String bad = client.request("readMemory", Map.of("memoryReference", "nowhere", "count", 4)).get("message").getAsString();
            assertTrue(bad.contains("is not an address"), bad);
            String unwritable = client.request("writeMemory", Map.of("memoryReference", "0x10", "data", data)).get("message").getAsString();
            assertTrue(unwritable.contains("cannot access 8 bytes of memory at 0x10"), unwritable);
        }
    }

    @Test
    void modulesListTheMappedFilesWithTheirAddressRanges(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("wait_for_file", tmp.resolve("gate").toString()));
            client.event("output");
            JsonObject body = body(client.ok("modules", Map.of()));
            JsonArray modules = body.getAsJsonArray("modules");
            assertEquals(modules.size(), body.get("totalModules").getAsInt());
            java.util.Set<String> names = new java.util.HashSet<>();
            for (var m : modules) {
                JsonObject module = m.getAsJsonObject();
                names.add(module.get("name").getAsString());
                assertTrue(module.get("addressRange").getAsString().matches("0x[0-9a-f]+-0x[0-9a-f]+"), module.toString());
            }
            assertTrue(names.contains("wait_for_file") && names.contains("libc.so.6"), names.toString());
            assertEquals(1, body(client.ok("modules", Map.of("startModule", 1, "moduleCount", 1))).getAsJsonArray("modules").size());
            java.nio.file.Files.createFile(tmp.resolve("gate"));
            client.event("exited");
        }
    }
}
