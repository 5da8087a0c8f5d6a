package dev.quiesce.dap;

import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sourceMap (issue 16): a program built in one folder whose sources were then moved to another.
 * Its DWARF names the build folder; with the map, every path the client sees is the new one
 * and every path it sends is found in the line tables.
 */
class SourceMapTest extends DapTestBase {
    private static final String SOURCE = """
            #include <stdio.h>
            static int twice(int x)
            {
                return 2 * x; /* in twice */
            }
            int main(void)
            {
                printf("%d\\n", twice(21));
                return 0;
            }
            """;
    private static final int TWICE_LINE = 4;

    /** Builds tmp/build/src/moved.c at tmp/build (relative name, comp_dir = build), then moves src to tmp/moved. */
    private static Path buildAndMove(Path tmp) throws Exception {
        Path build = Files.createDirectories(tmp.resolve("build/src"));
        Files.writeString(build.resolve("moved.c"), SOURCE);
        Path exe = tmp.resolve("moved-program");
        Process cc = new ProcessBuilder("gcc", "-g", "-O0", "-o", exe.toString(), "src/moved.c")
                .directory(tmp.resolve("build").toFile()).inheritIO().start();
        assertTrue(cc.waitFor(120, TimeUnit.SECONDS) && cc.exitValue() == 0, "gcc built the program");
        Files.createDirectories(tmp.resolve("moved"));
        Files.move(build, tmp.resolve("moved/src"));
        return exe;
    }

    private static void debugWithMap(Path tmp, Path exe, Object sourceMap) throws Exception {
        String local = tmp.resolve("moved/src/moved.c").toString();
        String old = tmp.resolve("build/src/moved.c").toString();
        try (DapTestClient client = server.connect()) {
            client.initialize();
            Map<String, Object> launch = new HashMap<>(Map.of("program", exe.toString(), "sourceMap", sourceMap));
            client.ok("launch", launch);
            JsonObject bp = body(client.ok("setBreakpoints", Map.of("source", Map.of("path", local),
                    "breakpoints", List.of(Map.of("line", TWICE_LINE))))).getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertTrue(bp.get("verified").getAsBoolean(), bp.toString());
            assertEquals(local, bp.getAsJsonObject("source").get("path").getAsString());
            JsonArray locations = body(client.ok("breakpointLocations", Map.of("source", Map.of("path", local), "line", 1, "endLine", 10)))
                    .getAsJsonArray("breakpoints");
            assertTrue(locations.toString().contains("\"line\":" + TWICE_LINE), locations.toString());
            boolean listed = false;
            for (JsonElement s : body(client.ok("loadedSources", Map.of())).getAsJsonArray("sources")) {
                String path = s.getAsJsonObject().has("path") ? s.getAsJsonObject().get("path").getAsString() : "";
                assertFalse(path.equals(old), "the build path is not shown: " + path);
                listed |= path.equals(local);
            }
            assertTrue(listed, "loadedSources lists the moved file");
            client.ok("configurationDone", Map.of());
            JsonObject stopped = client.event("stopped");
            int tid = body(stopped).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            for (int i = 0; i < 2; i++) {
                JsonObject f = frames.get(i).getAsJsonObject();
                assertEquals(local, f.getAsJsonObject("source").get("path").getAsString(), f.toString());
            }
            assertEquals(TWICE_LINE, frames.get(0).getAsJsonObject().get("line").getAsInt());
            String text = body(client.ok("source", Map.of("source", Map.of("path", old), "sourceReference", 0))).get("content").getAsString();
            assertTrue(text.contains("/* in twice */"), "source by the build path reads the moved file");
            client.ok("continue", Map.of("threadId", tid));
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());
            client.assertSchemaValid();
        }
    }

    @Test
    void aMovedSourceTreeIsFoundThroughAnObjectMap(@TempDir Path tmp) throws Exception {
        Path exe = buildAndMove(tmp);
        debugWithMap(tmp, exe, Map.of(tmp.resolve("build").toString(), tmp.resolve("moved").toString()));
    }

    @Test
    void aMovedSourceTreeIsFoundThroughAListOfPairs(@TempDir Path tmp) throws Exception {
        Path exe = buildAndMove(tmp);
        debugWithMap(tmp, exe, List.of(List.of("/nowhere", "/elsewhere"),
                List.of(tmp.resolve("build").toString() + "/", tmp.resolve("moved").toString())));
    }

    @Test
    void withoutTheMapTheFramesHaveNoSourceAndABadMapIsRefused(@TempDir Path tmp) throws Exception {
        Path exe = buildAndMove(tmp);
        try (DapTestClient client = server.connect()) {
            client.initialize();
            String bad = client.request("launch", Map.of("program", exe.toString(), "sourceMap", List.of("a")))
                    .get("message").getAsString();
            assertTrue(bad.contains("sourceMap"), bad);
            client.ok("launch", Map.of("program", exe.toString()));
            client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "twice"))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
            assertFalse(top.getAsJsonObject("source").has("path"), "the build folder is gone: disassembly, " + top);
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
        }
    }
}
