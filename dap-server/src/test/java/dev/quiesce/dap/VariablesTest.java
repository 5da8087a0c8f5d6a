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
import static org.junit.jupiter.api.Assertions.assertFalse;

/** scopes, variables, evaluate, setVariable at a SIGUSR1 stop inside values.c's inspect(). */
class VariablesTest extends DapTestBase {
    private static JsonObject variable(JsonArray vars, String name) {
        for (var v : vars) {
            if (v.getAsJsonObject().get("name").getAsString().equals(name)) {
                return v.getAsJsonObject();
            }
        }
        throw new AssertionError("no variable " + name + " in " + vars);
    }

    private static JsonArray variables(DapTestClient client, int ref, Map<String, Object> extra) {
        Map<String, Object> args = new java.util.HashMap<>(extra);
        args.put("variablesReference", ref);
        return body(client.ok("variables", args)).getAsJsonArray("variables");
    }

    @Test
    void localsArgumentsGlobalsAndRegistersOfTheSelectedFrame() throws Exception {
        try (DapTestClient client = server.connect()) {
            launch(client, launchArgs("values_c"));
            JsonObject stopped = client.event("stopped");
            int tid = body(stopped).get("threadId").getAsInt();
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames");
            int frameId = -1;
            for (var f : frames) {
                if (f.getAsJsonObject().get("name").getAsString().equals("inspect")) {
                    frameId = f.getAsJsonObject().get("id").getAsInt();
                }
            }
            assertTrue(frameId > 0, frames.toString());
            JsonArray scopes = body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes");
            assertEquals("Arguments", scopes.get(0).getAsJsonObject().get("name").getAsString());
            JsonArray args = variables(client, scopes.get(0).getAsJsonObject().get("variablesReference").getAsInt(), Map.of());
            assertEquals("5", variable(args, "count").get("value").getAsString());
            assertTrue(variable(args, "text").get("value").getAsString().endsWith(" \"hello\""));
            JsonArray locals = variables(client, scopes.get(1).getAsJsonObject().get("variablesReference").getAsInt(), Map.of());
            assertEquals("97 'a'", variable(locals, "letter").get("value").getAsString());
            assertEquals("10", variable(locals, "inner").get("value").getAsString(), "a nested block's variable");
            JsonObject local = variable(locals, "local");
            assertEquals("{x = 11, y = 22}", local.get("value").getAsString());
            assertTrue(local.get("memoryReference").getAsString().startsWith("0x"));
            JsonArray members = variables(client, local.get("variablesReference").getAsInt(), Map.of());
            assertEquals("11", variable(members, "x").get("value").getAsString());
            assertEquals("(local).x", variable(members, "x").get("evaluateName").getAsString());
            JsonObject vla = variable(locals, "vla");
            assertEquals(5, vla.get("indexedVariables").getAsInt());
            JsonArray page = variables(client, vla.get("variablesReference").getAsInt(), Map.of("start", 3, "count", 2,
                    "filter", "indexed", "format", Map.of("hex", true)));
            assertEquals("[3]", page.get(0).getAsJsonObject().get("name").getAsString());
            assertEquals("0x9", page.get(0).getAsJsonObject().get("value").getAsString());
            JsonArray globals = variables(client, scopes.get(2).getAsJsonObject().get("variablesReference").getAsInt(), Map.of());
            assertEquals("42", variable(globals, "global_counter").get("value").getAsString());
            assertEquals("2.5", variable(globals, "static_ratio").get("value").getAsString());
            JsonArray registers = variables(client, scopes.get(3).getAsJsonObject().get("variablesReference").getAsInt(), Map.of());
            assertTrue(variable(registers, "rip").get("value").getAsString().startsWith("0x"));

            // setVariable writes the program's memory; evaluate sees it
            JsonObject set = client.ok("setVariable", Map.of("variablesReference", local.get("variablesReference").getAsInt(),
                    "name", "y", "value", "-5"));
            assertEquals("-5", body(set).get("value").getAsString());
            JsonObject eval = client.ok("evaluate", Map.of("expression", "local.y * 2 + global_point.x", "frameId", frameId, "context", "watch"));
            assertEquals("-7", body(eval).get("result").getAsString());
            assertEquals("{x = 3, y = -4}", body(client.ok("evaluate", Map.of("expression", "global_point", "context", "hover"))).get("result").getAsString(),
                    "globals without a frame");
            JsonObject bad = client.request("evaluate", Map.of("expression", "local.z", "frameId", frameId, "context", "watch"));
            assertFalse(bad.get("success").getAsBoolean());
            assertTrue(bad.get("message").getAsString().contains("no member 'z' in struct point"), bad.toString());
            JsonObject sideEffect = client.request("evaluate", Map.of("expression", "count = 1", "frameId", frameId, "context", "hover"));
            assertFalse(sideEffect.get("success").getAsBoolean());
            client.ok("setExpression", Map.of("expression", "global_counter", "value", "global_counter + 1", "frameId", frameId));
            assertEquals("43", body(client.ok("evaluate", Map.of("expression", "global_counter", "frameId", frameId, "context", "repl"))).get("result").getAsString());

            // once the thread runs on, its references answer with an error
            client.ok("continue", Map.of("threadId", tid));
            JsonObject stale = client.request("variables", Map.of("variablesReference", local.get("variablesReference").getAsInt()));
            assertFalse(stale.get("success").getAsBoolean());
            client.ok("disconnect", Map.of("terminateDebuggee", true));
        }
    }
}
