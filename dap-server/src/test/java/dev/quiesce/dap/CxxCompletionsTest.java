package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** completions in C++ frames (issue 16): a base class's members after '.', and the members of *this without this->. */
class CxxCompletionsTest extends DapTestBase {
    private static int frameAt(DapTestClient client, String program, String source, int line, String... args) {
        client.initialize();
        client.ok("launch", launchArgs(program, args));
        client.ok("setBreakpoints", Map.of("source", Map.of("path", BreakpointsAndSteppingTest.source(source)),
                "breakpoints", List.of(Map.of("line", line))));
        client.ok("configurationDone", Map.of());
        int tid = body(client.event("stopped")).get("threadId").getAsInt();
        return body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames")
                .get(0).getAsJsonObject().get("id").getAsInt();
    }

    private static List<String> labels(DapTestClient client, int frame, String text) {
        JsonObject r = body(client.ok("completions", Map.of("frameId", frame, "text", text, "column", text.length() + 1)));
        List<String> out = new ArrayList<>();
        for (JsonElement t : r.getAsJsonArray("targets")) {
            out.add(t.getAsJsonObject().get("label").getAsString());
        }
        return out;
    }

    @Test
    void aDerivedObjectOffersItsBaseClassMembersToo() throws Exception {
        try (DapTestClient client = server.connect()) {
            int frame = frameAt(client, "throws", "throws.cpp", 37, "1"); // throw bad; in shape()
            assertEquals(List.of("code", "why"), labels(client, frame, "bad."), "geo::BadShape's own why and its base Failure's code");
            client.assertSchemaValid();
        }
    }

    @Test
    void aMemberFunctionOffersTheObjectsMembersWithoutThis() throws Exception {
        try (DapTestClient client = server.connect()) {
            int frame = frameAt(client, "shapes", "shapes.cpp", 18); // Rect::area
            List<String> w = labels(client, frame, "w");
            assertTrue(w.contains("w"), w.toString());
            assertEquals(List.of("w", "h"), labels(client, frame, "this->"));
            client.assertSchemaValid();
        }
    }
}
