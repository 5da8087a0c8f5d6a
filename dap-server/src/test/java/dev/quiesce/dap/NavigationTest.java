package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * completions, gotoTargets/goto and stepInTargets (issue 16) on test-programs/src/navigate.c,
 * stopped at line 39, which calls twice, square, add and strlen. objdump -d -l is the oracle of
 * the line's calls and their order.
 */
class NavigationTest extends DapTestBase {
    private static final int CALLS = 39;
    private static final int NEXT = 40;
    private static final String SOURCE = BreakpointsAndSteppingTest.source("navigate.c");

    /** initialize, launch, a breakpoint at line 39, configurationDone; the stopped thread. */
    private static int stopAtCalls(DapTestClient client) {
        client.initialize();
        client.ok("launch", launchArgs("navigate"));
        client.ok("setBreakpoints", Map.of("source", Map.of("path", SOURCE), "breakpoints", List.of(Map.of("line", CALLS))));
        client.ok("configurationDone", Map.of());
        JsonObject stopped = body(client.event("stopped"));
        assertEquals("breakpoint", stopped.get("reason").getAsString());
        return stopped.get("threadId").getAsInt();
    }

    private static JsonObject top(DapTestClient client, int tid) {
        return body(client.ok("stackTrace", Map.of("threadId", tid))).getAsJsonArray("stackFrames").get(0).getAsJsonObject();
    }

    private static String stdout(DapTestClient client) {
        StringBuilder out = new StringBuilder();
        for (JsonObject m : client.history()) {
            if (m.has("event") && m.get("event").getAsString().equals("output") && body(m).get("category").getAsString().equals("stdout")) {
                out.append(body(m).get("output").getAsString());
            }
        }
        return out.toString();
    }

    /** The functions line 39 calls, in address order, as objdump -d -l lists them. */
    private static List<String> objdumpCalls() throws Exception {
        Process p = new ProcessBuilder("objdump", "-d", "-l", "--no-show-raw-insn", "--disassemble=main",
                TestServer.program("navigate").toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        List<String> calls = new ArrayList<>();
        boolean inLine = false;
        Matcher call = Pattern.compile("\\scall\\s+\\S+ <([^>@+]+)").matcher("");
        for (String line : out.split("\n")) {
            if (line.matches(".*navigate\\.c:\\d+( .*)?$")) {
                inLine = line.matches(".*navigate\\.c:" + CALLS + "( .*)?$");
            } else if (inLine && call.reset(line).find()) {
                calls.add(call.group(1));
            }
        }
        return calls;
    }

    private static List<String> labels(JsonObject completions) {
        List<String> out = new ArrayList<>();
        for (JsonElement t : completions.getAsJsonArray("targets")) {
            out.add(t.getAsJsonObject().get("label").getAsString());
        }
        return out;
    }

    private static JsonObject complete(DapTestClient client, Integer frameId, String text) {
        Map<String, Object> args = new java.util.HashMap<>(Map.of("text", text, "column", text.length() + 1));
        if (frameId != null) {
            args.put("frameId", frameId);
        }
        return body(client.ok("completions", args));
    }

    @Test
    void stepInTargetsAreTheLinesCallsInOrderAndStepInEntersTheChosenOne() throws Exception {
        List<String> expected = objdumpCalls();
        assertEquals(List.of("twice", "square", "add", "strlen"), expected, "objdump's view of line 39");
        try (DapTestClient client = server.connect()) {
            int tid = stopAtCalls(client);
            int frame = top(client, tid).get("id").getAsInt();
            JsonArray targets = body(client.ok("stepInTargets", Map.of("frameId", frame))).getAsJsonArray("targets");
            List<String> names = new ArrayList<>();
            int add = -1;
            for (JsonElement t : targets) {
                names.add(t.getAsJsonObject().get("label").getAsString());
                if (t.getAsJsonObject().get("label").getAsString().equals("add")) {
                    add = t.getAsJsonObject().get("id").getAsInt();
                }
            }
            assertEquals(expected, names, "each call of the line, named by the function it calls (strlen through the PLT)");
            client.ok("stepIn", Map.of("threadId", tid, "targetId", add));
            JsonObject stopped = body(client.event("stopped"));
            assertEquals("step", stopped.get("reason").getAsString());
            JsonObject inAdd = top(client, tid);
            assertEquals("add", inAdd.get("name").getAsString().replaceAll("\\(.*", ""));
            assertEquals(31, inAdd.get("line").getAsInt(), "add's body");
            int addFrame = inAdd.get("id").getAsInt();
            assertEquals("4", body(client.ok("evaluate", Map.of("expression", "a", "frameId", addFrame, "context", "watch"))).get("result").getAsString());
            assertEquals("6", body(client.ok("evaluate", Map.of("expression", "b", "frameId", addFrame, "context", "watch"))).get("result").getAsString());
            assertEquals("2", body(client.ok("evaluate", Map.of("expression", "counter", "frameId", addFrame, "context", "watch"))).get("result").getAsString(),
                    "twice and square ran on the way, stepped over");
            JsonObject bad = client.request("stepIn", Map.of("threadId", tid, "targetId", 99999));
            assertFalse(bad.get("success").getAsBoolean());
            assertTrue(bad.get("message").getAsString().startsWith("unknown step-in target 99999"), bad.toString());
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
            assertEquals("total 17 counter 2\n", stdout(client));
            client.assertSchemaValid();
        }
    }

    @Test
    void gotoSkipsTheLinesCallsAndRefusesAnotherFunction() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = stopAtCalls(client);
            JsonArray elsewhere = body(client.ok("gotoTargets", Map.of("source", Map.of("path", SOURCE), "line", 22))).getAsJsonArray("targets");
            JsonObject refused = client.request("goto", Map.of("threadId", tid, "targetId", elsewhere.get(0).getAsJsonObject().get("id").getAsInt()));
            assertFalse(refused.get("success").getAsBoolean());
            assertEquals("cannot move the pc out of main into square: goto stays within the function the thread is in"
                    + " (its frame would not fit another one)", refused.get("message").getAsString());
            JsonArray targets = body(client.ok("gotoTargets", Map.of("source", Map.of("path", SOURCE), "line", NEXT))).getAsJsonArray("targets");
            assertEquals(1, targets.size(), targets.toString());
            JsonObject target = targets.get(0).getAsJsonObject();
            assertEquals("line 40 in main", target.get("label").getAsString());
            client.ok("goto", Map.of("threadId", tid, "targetId", target.get("id").getAsInt()));
            JsonObject stopped = body(client.event("stopped"));
            assertEquals("goto", stopped.get("reason").getAsString());
            assertEquals(tid, stopped.get("threadId").getAsInt());
            assertEquals(NEXT, top(client, tid).get("line").getAsInt());
            client.ok("continue", Map.of("threadId", tid));
            client.event("exited");
            assertEquals("total 1 counter 0\n", stdout(client), "line 39's calls never ran");
            client.assertSchemaValid();
        }
    }

    @Test
    void completionsOfferLocalsGlobalsMembersRegistersAndKeywords() throws Exception {
        try (DapTestClient client = server.connect()) {
            int tid = stopAtCalls(client);
            int frame = top(client, tid).get("id").getAsInt();
            List<String> s = labels(complete(client, frame, "s"));
            assertTrue(s.containsAll(List.of("sq", "sp", "sizeof", "static_cast", "short", "struct")), s.toString());
            assertFalse(s.contains("total"), s.toString());
            assertEquals(List.of("origin", "corner", "name"), labels(complete(client, frame, "sq.")));
            assertEquals(List.of("x", "y"), labels(complete(client, frame, "sq.corner->")));
            assertEquals(List.of("x", "y"), labels(complete(client, frame, "(*sp).origin.")));
            JsonObject member = complete(client, frame, "1 + sp->co");
            assertEquals(List.of("corner"), labels(member));
            JsonObject item = member.getAsJsonArray("targets").get(0).getAsJsonObject();
            assertEquals(9, item.get("start").getAsInt(), "replaces 'co', at column 9");
            assertEquals(2, item.get("length").getAsInt());
            assertEquals("struct point *", item.get("detail").getAsString());
            assertEquals(List.of("$rip"), labels(complete(client, frame, "$ri")));
            assertEquals(17, labels(complete(client, frame, "$")).size(), "rax..r15 and rip, the registers expressions read");
            assertEquals(List.of("counter"), labels(complete(client, frame, "coun")));
            assertEquals(List.of("hidden_total"), labels(complete(client, frame, "hidden")));
            assertEquals(List.of("counter"), labels(complete(client, null, "coun")), "without a frame: globals");
            assertEquals(List.of(), labels(complete(client, frame, "nosuch->")), "nothing for what does not evaluate");
            client.assertSchemaValid();
        }
    }
}
