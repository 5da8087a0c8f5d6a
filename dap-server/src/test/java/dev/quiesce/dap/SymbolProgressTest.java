package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * progressStart / progressUpdate / progressEnd while the symbols of a large module (the SQLite
 * amalgamation, 1.4 MiB of .debug_info) are read (issue 16), and none to a client that does not
 * say supportsProgressReporting. Each test debugs its own copy of sqlite_demo, so its symbols are
 * read fresh (they are cached per file).
 */
class SymbolProgressTest extends DapTestBase {
    private static Path copy(Path dir) throws Exception {
        Path copy = dir.resolve("sqlite_demo");
        Files.copy(TestServer.program("sqlite_demo"), copy);
        return copy;
    }

    private static void launch(DapTestClient client, Path program, boolean progress) {
        client.initialize(Map.of("supportsProgressReporting", progress));
        client.ok("launch", Map.of("program", program.toString()));
        client.ok("configurationDone", Map.of());
    }

    private static List<JsonObject> progressEvents(DapTestClient client) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonObject m : client.history()) {
            if (DapTestClient.isType(m, "event") && m.get("event").getAsString().startsWith("progress")) {
                out.add(m);
            }
        }
        return out;
    }

    @Test
    void aLargeModulesSymbolsReportTheirProgress(@TempDir Path tmp) throws Exception {
        Path program = copy(tmp);
        try (DapTestClient client = server.connect()) {
            launch(client, program, true);
            JsonObject end = client.event("progressEnd");
            String id = body(end).get("progressId").getAsString();
            assertEquals("sqlite_demo: 2 units read", body(end).get("message").getAsString());
            List<JsonObject> events = progressEvents(client).stream()
                    .filter(e -> body(e).get("progressId").getAsString().equals(id)).toList();
            JsonObject start = body(events.get(0));
            assertEquals("progressStart", events.get(0).get("event").getAsString());
            assertEquals("Loading symbols", start.get("title").getAsString());
            assertTrue(start.get("message").getAsString().startsWith("sqlite_demo (2 units, "), start.toString());
            double last = 0;
            for (JsonObject e : events.subList(1, events.size() - 1)) {
                assertEquals("progressUpdate", e.get("event").getAsString());
                double p = body(e).get("percentage").getAsDouble();
                assertTrue(p >= last && p <= 100, "percentages grow: " + events);
                last = p;
            }
            assertEquals(100.0, last, "the last update says all of it: " + events);
            assertEquals(end, events.get(events.size() - 1));
            client.event("exited");
            client.assertSchemaValid();
        }
    }

    @Test
    void aClientWithoutProgressReportingGetsNoProgressEvents(@TempDir Path tmp) throws Exception {
        Path program = copy(tmp);
        try (DapTestClient without = server.connect(); DapTestClient with = server.connect()) {
            launch(without, program, false);
            without.event("exited");
            // The second session reads the same file's units; each one the first session is
            // still reading, it waits for: its progressEnd means the first one's reading is done.
            launch(with, program, true);
            with.event("progressEnd");
            without.ok("threads", null);
            assertEquals(List.of(), progressEvents(without));
            without.assertSchemaValid();
            with.assertSchemaValid();
        }
    }
}
