package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launch;
import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModulesTest extends DapTestBase {

    private static boolean moduleEvent(JsonObject e, String reason, String name) {
        JsonObject b = body(e);
        return b.get("reason").getAsString().equals(reason) && b.getAsJsonObject("module").get("name").getAsString().equals(name);
    }

    @Test
    void aDlopenedLibraryGetsModuleEventsWhenItLoadsAndUnloads() throws Exception {
        String plugin = TestServer.program("libplugin.so").toString();
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("dlopen_main", plugin));
            JsonObject program = client.event("module", e -> moduleEvent(e, "new", "dlopen_main"));
            assertEquals("Symbols loaded", body(program).getAsJsonObject("module").get("symbolStatus").getAsString());
            assertTrue(body(program).getAsJsonObject("module").get("isUserCode").getAsBoolean());
            client.event("module", e -> moduleEvent(e, "new", "libc.so.6"));
            JsonObject loaded = client.event("module", e -> moduleEvent(e, "new", "libplugin.so"));
            String range = body(loaded).getAsJsonObject("module").get("addressRange").getAsString();
            assertTrue(range.matches("0x[0-9a-f]+-0x[0-9a-f]+"), range);
            client.event("module", e -> moduleEvent(e, "removed", "libplugin.so"));
            client.event("exited");
            String output = client.history().toString();
            assertTrue(output.contains("plugin_work(13) = 40"), "the program ran normally");
        }
    }
}
