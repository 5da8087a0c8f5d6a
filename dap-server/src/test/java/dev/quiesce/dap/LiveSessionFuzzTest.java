package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.IllTypedRequests;
import dev.quiesce.dap.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ill-typed requests, every command and every argument of it (IllTypedRequests), written with
 * seq first and, as VS Code writes them, seq last, plus broken envelopes and garbage, all sent to
 * a session whose multi-threaded program has one thread stopped at a breakpoint and the others
 * running. Each request with a usable seq gets exactly one answer, a refusal that names the
 * argument; nothing the server says reads as Java; then the same session debugs on as normal.
 */
class LiveSessionFuzzTest extends DapTestBase {
    private static final long SEED = 20261202L;
    private static final int GARBAGE = 600;
    /** The worker's loop body in threads.c: {@code counters[index]++;}. */
    private static final int WORKER_LINE = 21;
    private static final Pattern JAVA_TEXT = Pattern.compile("Exception\\b|java\\.|internal error|bug in Quiesce");
    /** Commands whose arguments LSP4J hands over as a map: the launch code checks their members. */
    private static final List<String> MAP_ARGUMENTS = List.of("launch", "attach");

    private static String threadsSource() {
        return TestServer.program("threads").getParent().resolve("../../src/threads.c").normalize().toString();
    }

    private static Map<String, Object> breakpointAtWorkerLine(String condition) {
        Map<String, Object> bp = new HashMap<>();
        bp.put("line", WORKER_LINE);
        if (condition != null) {
            bp.put("condition", condition);
        }
        return Map.of("source", Map.of("path", threadsSource()), "breakpoints", condition == null ? List.of() : List.of(bp));
    }

    /** The request as text, with seq where VS Code puts it (last) or where most clients do (first). */
    private static String request(int seq, String command, JsonElement arguments, boolean seqLast) {
        JsonObject message = new JsonObject();
        if (!seqLast) {
            message.addProperty("seq", seq);
            message.addProperty("type", "request");
        }
        message.addProperty("command", command);
        message.add("arguments", arguments);
        if (seqLast) {
            message.addProperty("type", "request");
            message.addProperty("seq", seq);
        }
        return message.toString();
    }

    /** Envelopes that are wrong but keep a usable seq: each must still be answered. */
    private static String brokenEnvelope(Random r, int seq) {
        return switch (r.nextInt(6)) {
            case 0 -> "{\"seq\":" + seq + ",\"type\":\"request\",\"command\":{\"a\":1}}";
            case 1 -> "{\"seq\":" + seq + ",\"type\":\"request\",\"command\":[\"threads\"]}";
            case 2 -> "{\"seq\":" + seq + ",\"type\":\"request\"}";
            case 3 -> "{\"arguments\":[1,2],\"command\":\"stackTrace\",\"type\":\"request\",\"seq\":" + seq + "}";
            case 4 -> "{\"command\":\"variables\",\"arguments\":\"" + "v".repeat(r.nextInt(5000)) + "\",\"type\":\"request\",\"seq\":" + seq + "}";
            default -> "{\"command\":\"frobnicate\",\"arguments\":{\"x\":" + r.nextInt() + "},\"seq\":" + seq + ",\"type\":\"request\"}";
        };
    }

    /** Messages no answer can go to: no usable seq, not JSON, not a request. */
    private static byte[] garbage(Random r) {
        String text = switch (r.nextInt(6)) {
            case 0 -> {
                byte[] bytes = new byte[1 + r.nextInt(300)];
                r.nextBytes(bytes);
                yield new String(bytes, StandardCharsets.ISO_8859_1);
            }
            case 1 -> "{\"seq\":\"" + r.nextInt() + "x\",\"type\":\"request\",\"command\":\"threads\"}";
            case 2 -> "{\"seq\":" + (r.nextBoolean() ? 0 : -r.nextInt(1000)) + ",\"type\":\"request\",\"command\":\"threads\"}";
            case 3 -> "{\"seq\":1.5,\"type\":\"request\",\"command\":\"pause\",\"arguments\":{\"threadId\":false}}";
            case 4 -> "[".repeat(1 + r.nextInt(3000)) + "]".repeat(r.nextInt(3));
            default -> "{\"type\":\"event\",\"event\":\"stopped\",\"seq\":7,\"body\":{\"reason\":" + r.nextInt() + "}}";
        };
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void illTypedRequestsToALiveMultiThreadedProgramAreEachAnsweredOnceAndDebuggingGoesOn(@TempDir Path tmp) throws Exception {
        Path stop = tmp.resolve("stop");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("threads", "4", stop.toString()));
            // Only worker-1 (index 0) stops; worker-2..4 and main run on through the fuzz.
            client.ok("setBreakpoints", breakpointAtWorkerLine("index == 0"));
            client.ok("configurationDone", Map.of());
            JsonObject stopped = body(client.event("stopped"));
            assertEquals("breakpoint", stopped.get("reason").getAsString());
            assertFalse(stopped.get("allThreadsStopped").getAsBoolean());
            int worker = stopped.get("threadId").getAsInt();

            List<IllTypedRequests.Case> cases = IllTypedRequests.all();
            Map<Integer, IllTypedRequests.Case> named = new LinkedHashMap<>();
            List<Integer> answerable = new ArrayList<>();
            Random r = new Random(SEED);
            int seq = 100_000;
            long start = System.nanoTime();
            for (boolean seqLast : new boolean[] {false, true}) {
                for (IllTypedRequests.Case c : cases) {
                    client.sendRaw(request(++seq, c.command(), c.arguments(), seqLast).getBytes(StandardCharsets.UTF_8));
                    named.put(seq, c);
                    answerable.add(seq);
                }
            }
            for (int i = 0; i < GARBAGE; i++) {
                if (r.nextBoolean()) {
                    client.sendRaw(brokenEnvelope(r, ++seq).getBytes(StandardCharsets.UTF_8));
                    answerable.add(seq);
                } else {
                    client.sendRaw(garbage(r));
                }
            }
            List<String> wrong = new ArrayList<>();
            for (int s : answerable) {
                JsonObject response = client.response(s);
                IllTypedRequests.Case c = named.get(s);
                String message = response.has("message") ? response.get("message").getAsString() : "";
                if (response.get("success").getAsBoolean()) {
                    wrong.add("succeeded: " + c + " -> " + response);
                } else if (c != null && !MAP_ARGUMENTS.contains(c.command()) && !message.contains("'" + c.path() + "'")) {
                    wrong.add("does not name '" + c.path() + "': " + c + " -> " + message);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("fuzz: %d requests with a seq and %d without, answered in %.2f s%n",
                    answerable.size(), GARBAGE - (answerable.size() - named.size()), seconds);
            assertEquals(List.of(), wrong);
            assertTrue(cases.size() > 1000, "only " + cases.size() + " cases");

            // The same session debugs on: the stopped worker's stack and variables, a new hit,
            // and the program's own end.
            JsonArray frames = body(client.ok("stackTrace", Map.of("threadId", worker))).getAsJsonArray("stackFrames");
            JsonObject top = frames.get(0).getAsJsonObject();
            assertEquals("worker", top.get("name").getAsString());
            assertEquals(WORKER_LINE, top.get("line").getAsInt());
            assertEquals("0", local(client, top.get("id").getAsInt(), "index"));
            client.ok("continue", Map.of("threadId", worker));
            JsonObject again = body(client.event("stopped"));
            assertEquals(worker, again.get("threadId").getAsInt());
            int frame = body(client.ok("stackTrace", Map.of("threadId", worker))).getAsJsonArray("stackFrames")
                    .get(0).getAsJsonObject().get("id").getAsInt();
            assertEquals("0", local(client, frame, "index"));
            client.ok("setBreakpoints", breakpointAtWorkerLine(null));
            client.ok("continue", Map.of("threadId", worker));
            Files.createFile(stop);
            assertEquals(0, body(client.event("exited")).get("exitCode").getAsInt());

            Map<Integer, Integer> answers = new HashMap<>();
            List<String> javaText = new ArrayList<>();
            for (JsonObject m : client.history()) {
                if (DapTestClient.isType(m, "response")) {
                    answers.merge(m.get("request_seq").getAsInt(), 1, Integer::sum);
                }
                if (JAVA_TEXT.matcher(m.toString()).find()) {
                    javaText.add(m.toString());
                }
            }
            List<String> twice = new ArrayList<>();
            answers.forEach((s, n) -> {
                if (n != 1) {
                    twice.add("request " + s + " answered " + n + " times");
                }
            });
            assertEquals(List.of(), twice);
            assertEquals(List.of(), javaText);
        }
    }

    private static String local(DapTestClient client, int frameId, String name) {
        JsonArray scopes = body(client.ok("scopes", Map.of("frameId", frameId))).getAsJsonArray("scopes");
        for (JsonElement scope : scopes) {
            int reference = scope.getAsJsonObject().get("variablesReference").getAsInt();
            for (JsonElement v : body(client.ok("variables", Map.of("variablesReference", reference))).getAsJsonArray("variables")) {
                if (v.getAsJsonObject().get("name").equals(new JsonPrimitive(name))) {
                    return v.getAsJsonObject().get("value").getAsString();
                }
            }
        }
        throw new AssertionError("no local " + name + " in " + scopes);
    }
}
