package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * loadedSources and loadedSource events, the source request (by path, and the disassembly
 * listings of frames without a source file), symbols and lines on disassembled instructions,
 * on sym_c stopped in factorial.
 */
class SourcesTest extends DapTestBase {
    private static final String MAIN_C = BreakpointsAndSteppingTest.source("sym_main.c");

    /** Launches sym_c with a function breakpoint on factorial and returns the stopped thread. */
    static int stopInFactorial(DapTestClient client, Map<String, Object> clientCapabilities) {
        JsonObject caps = body(client.initialize(clientCapabilities));
        assertTrue(caps.get("supportsLoadedSourcesRequest").getAsBoolean());
        assertTrue(caps.get("supportsCancelRequest").getAsBoolean());
        client.ok("launch", launchArgs("sym_c", "3"));
        client.event("process");
        client.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "factorial"))));
        client.ok("configurationDone", Map.of());
        JsonObject stopped = client.event("stopped");
        assertEquals("function breakpoint", body(stopped).get("reason").getAsString());
        return body(stopped).get("threadId").getAsInt();
    }

    private static Set<String> paths(JsonArray sources) {
        Set<String> out = new HashSet<>();
        for (var s : sources) {
            out.add(s.getAsJsonObject().get("path").getAsString());
        }
        return out;
    }

    @Test
    void loadedSourcesListTheLineTablesFilesAndEachArrivesAsAnEvent() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = stopInFactorial(client, Map.of());
            JsonObject event = client.event("loadedSource",
                    e -> body(e).getAsJsonObject("source").get("path").getAsString().endsWith("/sym_main.c"));
            assertEquals("new", body(event).get("reason").getAsString());
            assertEquals("sym_main.c", body(event).getAsJsonObject("source").get("name").getAsString());
            Set<String> all = paths(body(client.ok("loadedSources", Map.of())).getAsJsonArray("sources"));
            // (the test programs' DWARF names the tree they were built in, not necessarily this one)
            assertTrue(all.stream().anyMatch(p -> p.endsWith("/test-programs/src/sym_main.c")), "sym_main.c");
            assertTrue(all.stream().anyMatch(p -> p.endsWith("/test-programs/src/sym_util.c")), "the second unit");
            assertEquals(1, all.stream().filter(p -> p.endsWith("/sym_main.c")).count(), "each file once");
            client.ok("continue", Map.of("threadId", tid));
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void sourceGivesAFileByPathAndTheDisassemblyOfFramesWithoutSource() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = stopInFactorial(client, Map.of());
            JsonObject file = body(client.ok("source", Map.of("source", Map.of("path", MAIN_C), "sourceReference", 0)));
            assertTrue(file.get("content").getAsString().contains("int factorial(int n)"), file.toString());

            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            JsonObject libc = null;
            for (var f : frames) {
                JsonObject source = f.getAsJsonObject().getAsJsonObject("source");
                if (source != null && source.has("sourceReference") && source.get("sourceReference").getAsInt() > 0) {
                    libc = f.getAsJsonObject();
                    break;
                }
            }
            assertTrue(libc != null, "a frame below main without source gets a listing: " + frames);
            assertFalse(libc.getAsJsonObject("source").has("path"), libc.toString());
            int reference = libc.getAsJsonObject("source").get("sourceReference").getAsInt();
            String listing = body(client.ok("source", Map.of("source", Map.of("sourceReference", reference),
                    "sourceReference", reference))).get("content").getAsString();
            String[] lines = listing.split("\n", -1);
            int line = libc.get("line").getAsInt();
            assertTrue(line >= 2 && line <= lines.length, line + " in\n" + listing);
            String pc = Long.toHexString(MemoryRequests.address(libc.get("instructionPointerReference").getAsString(), null));
            assertTrue(lines[line - 1].contains(pc + " <" + libc.get("name").getAsString()),
                    "the frame's line is its pc's instruction: " + lines[line - 1] + " for " + libc);

            JsonObject missing = client.request("source", Map.of("source", Map.of("path", "/no/such/file.c"), "sourceReference", 0));
            assertFalse(missing.get("success").getAsBoolean());
            assertEquals("source file not found: /no/such/file.c", missing.get("message").getAsString());
            JsonObject unknown = client.request("source", Map.of("sourceReference", 987654));
            assertFalse(unknown.get("success").getAsBoolean());
            assertTrue(unknown.get("message").getAsString().contains("unknown sourceReference 987654"), unknown.toString());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }

    @Test
    void disassembledInstructionsCarryTheirSymbolAndSourceLine() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = stopInFactorial(client, Map.of());
            JsonObject top = body(client.ok("stackTrace", Map.of("threadId", tid, "levels", 1)))
                    .getAsJsonArray("stackFrames").get(0).getAsJsonObject();
            assertEquals(22, top.get("line").getAsInt(), top.toString());
            String pc = top.get("instructionPointerReference").getAsString();
            JsonArray insns = body(client.ok("disassemble", Map.of("memoryReference", pc, "instructionOffset", -3,
                    "instructionCount", 8))).getAsJsonArray("instructions");
            JsonObject first = insns.get(0).getAsJsonObject();
            assertTrue(first.get("symbol").getAsString().startsWith("factorial+"), first.toString());
            assertTrue(first.getAsJsonObject("location").get("path").getAsString().endsWith("/test-programs/src/sym_main.c"), first.toString());
            assertFalse(insns.get(1).getAsJsonObject().has("location"), "the same file again is left out");
            assertEquals(21, first.get("line").getAsInt(), "the prologue is the line of the brace: " + first);
            JsonObject at = insns.get(3).getAsJsonObject();
            assertEquals(pc, at.get("address").getAsString());
            assertEquals(22, at.get("line").getAsInt(), at.toString());
            assertTrue(at.get("symbol").getAsString().matches("factorial\\+\\d+"), at.toString());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
