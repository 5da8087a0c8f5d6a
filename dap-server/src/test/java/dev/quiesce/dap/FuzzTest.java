package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Thousands of mutated requests (wrong types, missing and extra fields, truncated JSON, garbage),
 * then a normal debug session on the same connection must still work, and every message the
 * server sent must still fit the DAP schema. Seeded, so a failure replays.
 */
class FuzzTest extends DapTestBase {
    private static final long SEED = 20261127L;
    private static final int MESSAGES = 3000;
    private static final java.util.regex.Pattern JAVA_TEXT =
            java.util.regex.Pattern.compile("Exception\\b|java\\.|internal error|bug in Quiesce");
    private static final String[] TEMPLATES = {
        "{\"command\":\"threads\"}",
        "{\"command\":\"pause\",\"arguments\":{\"threadId\":1}}",
        "{\"command\":\"continue\",\"arguments\":{\"threadId\":1,\"singleThread\":true}}",
        "{\"command\":\"setExceptionBreakpoints\",\"arguments\":{\"filters\":[\"signal\"],\"filterOptions\":[{\"filterId\":\"syscall\",\"condition\":\"write\"}]}}",
        "{\"command\":\"exceptionInfo\",\"arguments\":{\"threadId\":1}}",
        "{\"command\":\"readMemory\",\"arguments\":{\"memoryReference\":\"0x401000\",\"count\":16}}",
        "{\"command\":\"disassemble\",\"arguments\":{\"memoryReference\":\"0x401000\",\"instructionCount\":4,\"instructionOffset\":-2}}",
        "{\"command\":\"signalPolicy\",\"arguments\":{\"signal\":\"SIGUSR1\",\"stop\":false}}",
        "{\"command\":\"stepSyscall\",\"arguments\":{\"threadId\":1}}",
        "{\"command\":\"stackTrace\",\"arguments\":{\"threadId\":1,\"startFrame\":0,\"levels\":20}}",
        "{\"command\":\"evaluate\",\"arguments\":{\"expression\":\"x\",\"context\":\"watch\"}}",
        "{\"command\":\"configurationDone\"}",
    };

    private static JsonElement randomValue(Random r) {
        switch (r.nextInt(9)) {
            case 0: return JsonNull.INSTANCE;
            case 1: return new JsonPrimitive(r.nextBoolean());
            case 2: return new JsonPrimitive(r.nextLong());
            case 3: return new JsonPrimitive(r.nextDouble() * 1e300);
            case 4: return new JsonPrimitive(-r.nextInt(1000));
            case 5: return new JsonPrimitive("x".repeat(r.nextInt(3000)));
            case 6: return new JsonArray();
            case 7: return new JsonObject();
            default: return new JsonPrimitive("\u0000\uffff\"\\" + r.nextInt());
        }
    }

    private static void mutate(JsonObject o, Random r, int depth) {
        List<String> keys = new ArrayList<>(o.keySet());
        int action = r.nextInt(4);
        if (action == 0 && !keys.isEmpty()) {
            o.remove(keys.get(r.nextInt(keys.size())));
        } else if (action == 1 && !keys.isEmpty()) {
            String key = keys.get(r.nextInt(keys.size()));
            if (o.get(key).isJsonObject() && depth < 3) {
                mutate(o.getAsJsonObject(key), r, depth + 1);
            } else {
                o.add(key, randomValue(r));
            }
        } else if (action == 2) {
            o.add("k" + r.nextInt(5), randomValue(r));
        } else if (!keys.isEmpty()) {
            o.add(keys.get(r.nextInt(keys.size())), randomValue(r));
        }
    }

    private static byte[] fuzzed(Random r, int seq) {
        int kind = r.nextInt(10);
        if (kind == 0) {
            byte[] garbage = new byte[1 + r.nextInt(200)];
            r.nextBytes(garbage);
            return garbage;
        }
        JsonObject message = JsonParser.parseString(TEMPLATES[r.nextInt(TEMPLATES.length)]).getAsJsonObject();
        message.addProperty("seq", seq);
        message.addProperty("type", "request");
        for (int i = 1 + r.nextInt(3); i > 0; i--) {
            mutate(message, r, 0);
        }
        String text = message.toString();
        if (kind == 1) {
            text = text.substring(0, r.nextInt(text.length()));
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void thousandsOfMutatedRequestsThenANormalSessionStillWorks() throws Exception {
        Random r = new Random(SEED);
        try (DapTestClient client = server.connect()) {
            client.initialize();
            for (int i = 0; i < MESSAGES; i++) {
                client.sendRaw(fuzzed(r, 1000 + i));
            }
            // The same connection goes on: a program runs to its exit code (after undoing any
            // exception filter the fuzz may have set, such as a catchpoint on write).
            client.ok("setExceptionBreakpoints", Map.of("filters", List.of("signal")));
            client.ok("launch", launchArgs("hello", "4"));
            client.ok("configurationDone", Map.of());
            assertEquals(4, body(client.event("exited")).get("exitCode").getAsInt());
            // Bad input is refused with a reason, never by a handler falling over, and nothing
            // the server says reads as Java.
            List<String> internal = new ArrayList<>();
            for (JsonObject m : client.history()) {
                if (JAVA_TEXT.matcher(m.toString()).find()) {
                    internal.add(m.toString());
                }
            }
            assertEquals(List.of(), internal);
        }
        // ...and a new session works too.
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("hello", "5"));
            client.ok("configurationDone", Map.of());
            assertEquals(5, body(client.event("exited")).get("exitCode").getAsInt());
        }
    }
}
