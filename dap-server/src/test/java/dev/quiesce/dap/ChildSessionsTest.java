package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * followForks end to end (issue 18 Part 3): fork_follow's child offered with startDebugging, taken
 * by a second session on this server (TCP) or by a fresh adapter process over stdio (VS Code's
 * way); each session hits its own line breakpoint; the parent's waitpid(WUNTRACED) sees the
 * child's real exit status and no stop. An offer nobody takes lets the child run on clean.
 */
class ChildSessionsTest extends DapTestBase {
    private static final String SOURCE = BreakpointsAndSteppingTest.source("fork_follow.c");
    private static final String HELLO = BreakpointsAndSteppingTest.source("hello.c");

    private static int lineOf(String file, String marker) throws Exception {
        List<String> lines = Files.readAllLines(Path.of(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(marker)) {
                return i + 1;
            }
        }
        throw new AssertionError(marker);
    }

    private static Map<String, Object> breakpoints(String path, int... lines) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int line : lines) {
            list.add(Map.of("line", line));
        }
        return Map.of("source", Map.of("path", path), "breakpoints", list);
    }

    /** The parent: launched with followForks and breakpoints on both functions' lines (as a client sends a file's set). */
    private static void launchParent(DapTestClient parent, String... args) throws Exception {
        parent.initialize(Map.of("supportsStartDebuggingRequest", true));
        Map<String, Object> launch = launchArgs("fork_follow", args);
        launch.put("followForks", true);
        parent.ok("launch", launch);
        parent.event("process");
        parent.ok("setBreakpoints", breakpoints(SOURCE, lineOf(SOURCE, "PARENT_LINE"), lineOf(SOURCE, "CHILD_LINE")));
        parent.ok("configurationDone", Map.of());
    }

    /** The startDebugging request's configuration, checked for what identifies the child. */
    private static JsonObject childConfiguration(JsonObject startDebugging) {
        JsonObject args = startDebugging.getAsJsonObject("arguments");
        assertEquals("attach", args.get("request").getAsString());
        JsonObject configuration = args.getAsJsonObject("configuration");
        assertEquals("quiesce", configuration.get("type").getAsString());
        assertEquals("attach", configuration.get("request").getAsString());
        assertTrue(configuration.get("processId").getAsInt() > 0, configuration.toString());
        assertTrue(configuration.has(ChildSessions.HANDOVER_KEY), configuration.toString());
        return configuration;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(JsonObject o) {
        return new Gson().fromJson(o, Map.class);
    }

    private static int topLine(DapTestClient client, int tid) {
        JsonObject frame = body(client.ok("stackTrace", Map.of("threadId", tid, "levels", 1)))
                .getAsJsonArray("stackFrames").get(0).getAsJsonObject();
        return frame.get("line").getAsInt();
    }

    private static String topSource(DapTestClient client, int tid) {
        JsonObject frame = body(client.ok("stackTrace", Map.of("threadId", tid, "levels", 1)))
                .getAsJsonArray("stackFrames").get(0).getAsJsonObject();
        return frame.getAsJsonObject("source").get("path").getAsString();
    }

    /** A stop at a breakpoint: the thread. */
    private static int breakpointStop(DapTestClient client) {
        JsonObject stopped = body(client.event("stopped"));
        assertEquals("breakpoint", stopped.get("reason").getAsString(), stopped.toString());
        return stopped.get("threadId").getAsInt();
    }

    private static String output(DapTestClient client) {
        return client.history().stream().filter(m -> DapTestClient.isType(m, "event") && "output".equals(m.get("event").getAsString()))
                .map(m -> body(m).get("output").getAsString()).collect(Collectors.joining());
    }

    /** The parent's end: exit 0, and what its waitpid saw of the child (all output arrives before exited). */
    private static String parentEnd(DapTestClient parent) {
        assertEquals(0, body(parent.event("exited")).get("exitCode").getAsInt());
        return output(parent);
    }

    /**
     * The child's session in VS Code's order: attach with the offered configuration, and without
     * waiting for its answer its own breakpoints and configurationDone (the child must still not
     * run before its breakpoints are in).
     */
    private static int attachChild(DapTestClient child, JsonObject configuration, String source, int line) {
        child.initialize(Map.of("supportsStartDebuggingRequest", true));
        int attach = child.send("attach", asMap(configuration));
        JsonObject set = body(child.ok("setBreakpoints", breakpoints(source, line)));
        child.ok("configurationDone", Map.of());
        JsonObject answer = child.response(attach);
        assertTrue(answer.get("success").getAsBoolean(), answer.toString());
        JsonObject process = body(child.event("process"));
        assertEquals(configuration.get("processId").getAsInt(), process.get("systemProcessId").getAsInt());
        return set.getAsJsonArray("breakpoints").size();
    }

    @Test
    void overTcpTheChildSessionOnTheSameServerTakesTheChildAndBothHitTheirBreakpoints() throws Exception {
        int parentLine = lineOf(SOURCE, "PARENT_LINE");
        int childLine = lineOf(SOURCE, "CHILD_LINE");
        try (DapTestClient parent = server.connect(); DapTestClient child = server.connect()) {
            launchParent(parent, "fork");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            int pid = configuration.get("processId").getAsInt();
            // The parent goes on meanwhile: its own breakpoint, while the child is held.
            int parentTid = breakpointStop(parent);
            assertEquals(parentLine, topLine(parent, parentTid));
            assertEquals(1, attachChild(child, configuration, SOURCE, childLine));
            parent.respondTo(request, null, null);
            int childTid = breakpointStop(child);
            assertEquals(pid, childTid, "the child's one thread");
            assertEquals(childLine, topLine(child, childTid));
            child.ok("continue", Map.of("threadId", childTid));
            assertEquals(7, body(child.event("exited")).get("exitCode").getAsInt(), "the child's exit code, in its session");
            child.event("terminated");
            parent.ok("continue", Map.of("threadId", parentTid));
            String out = parentEnd(parent);
            assertTrue(out.contains("child says 7\n"), "the child's output (its stdout is the parent's pipe): " + out);
            assertTrue(out.contains("parent: child exit=7 stops=0\n"), "the parent's waitpid: the real exit, no stop: " + out);
            assertFalse(parent.history().stream().anyMatch(m -> DapTestClient.isType(m, "event") && "stopped".equals(m.get("event").getAsString())
                    && body(m).get("threadId").getAsInt() == pid), "the child's stops belong to its own session");
        }
    }

    @Test
    void aFreshStdioAdapterGetsTheChildHandedOverAndItsDetachLeavesTheChildRunning() throws Exception {
        int childLine = lineOf(SOURCE, "CHILD_LINE");
        try (DapTestClient parent = server.connect(); DapTestClient child = stdioAdapter()) {
            launchParent(parent, "fork");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            int pid = configuration.get("processId").getAsInt();
            parent.respondTo(request, null, null);
            int parentTid = breakpointStop(parent);
            assertEquals(1, attachChild(child, configuration, SOURCE, childLine));
            int childTid = breakpointStop(child);
            assertEquals(pid, childTid);
            assertEquals(childLine, topLine(child, childTid));
            String tracer = tracerPid(pid);
            assertTrue(Files.exists(Path.of("/proc", Integer.toString(childAdapterPid(child)), "task", tracer)),
                    "traced by a thread of the fresh adapter, not by this server: TracerPid " + tracer);
            Path socket = Path.of(configuration.getAsJsonObject(ChildSessions.HANDOVER_KEY).get("socket").getAsString());
            awaitCondition("the taken offer's socket and directory are gone", () -> !Files.exists(socket.getParent()));
            // disconnect of an attached session: detached, it runs on to its exit
            child.ok("disconnect", Map.of());
            parent.ok("continue", Map.of("threadId", parentTid));
            String out = parentEnd(parent);
            assertTrue(out.contains("child says 7\n"), out);
            assertTrue(out.contains("parent: child exit=7 stops=0\n"), "no job-control stop visible from the handover: " + out);
        }
    }

    @Test
    void aParentAdapterEndedBeforeTheChildSessionComesStillHandsTheChildOver() throws Exception {
        // VS Code: the parent's session ends (its program killed) and its adapter gets SIGTERM,
        // before the child's fresh adapter attaches. The held child must not die with its tracer.
        DapTestClient parent = stdioAdapter();
        Process parentAdapter = ADAPTERS.get(parent);
        try (DapTestClient child = stdioAdapter()) {
            launchParent(parent, "fork");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            int pid = configuration.get("processId").getAsInt();
            parent.respondTo(request, null, null);
            breakpointStop(parent);
            parent.ok("disconnect", Map.of("terminateDebuggee", true));
            parentAdapter.destroy(); // SIGTERM
            assertTrue(parentAdapter.isAlive() || !tracerPid(pid).equals("gone"), "the child outlives its parent's adapter");
            attachChild(child, configuration, SOURCE, lineOf(SOURCE, "CHILD_LINE"));
            int childTid = breakpointStop(child);
            assertEquals(pid, childTid);
            child.ok("continue", Map.of("threadId", childTid));
            // 50: child_work saw another parent (the killed one's child was reparented); not SIGKILL from a dead tracer
            assertEquals(50, body(child.event("exited")).get("exitCode").getAsInt());
            assertTrue(parentAdapter.waitFor(30, TimeUnit.SECONDS), "the parent's adapter exits once the child is taken");
        } finally {
            parent.close();
        }
    }

    @Test
    void anAttachWithFollowForksOffersTheChildrenToo(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        // attach's waitFor catches a fork_follow started afterwards (a copy under a name of its own).
        Path exe = tmp.resolve("quiesce-fork-follow-" + java.util.UUID.randomUUID().toString().substring(0, 8));
        Files.copy(TestServer.program("fork_follow"), exe, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path out = tmp.resolve("out");
        try (DapTestClient parent = server.connect(); DapTestClient child = server.connect()) {
            parent.initialize(Map.of("supportsStartDebuggingRequest", true));
            int attachSeq = parent.send("attach", Map.of("program", exe.toString(), "waitFor", true, "followForks", true));
            JsonObject first = parent.next(m -> DapTestClient.isType(m, "event") && "output".equals(m.get("event").getAsString())
                            && body(m).get("output").getAsString().contains("waiting for " + exe)
                            || DapTestClient.isType(m, "response") && m.get("request_seq").getAsInt() == attachSeq,
                    "the wait to begin or the attach to be refused");
            org.junit.jupiter.api.Assumptions.assumeFalse(DapTestClient.isType(first, "response")
                    && first.toString().contains("fanotify"), first.toString());
            parent.ok("configurationDone", Map.of());
            Process shell = new ProcessBuilder("sh", "-c", "\"$0\" fork > \"$1\" 2>&1; true", exe.toString(), out.toString()).start();
            assertTrue(parent.response(attachSeq).get("success").getAsBoolean());
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            parent.respondTo(request, null, null);
            attachChild(child, configuration, SOURCE, lineOf(SOURCE, "CHILD_LINE"));
            int childTid = breakpointStop(child);
            assertEquals(lineOf(SOURCE, "CHILD_LINE"), topLine(child, childTid));
            child.ok("continue", Map.of("threadId", childTid));
            assertEquals(7, body(child.event("exited")).get("exitCode").getAsInt());
            assertEquals(0, body(parent.event("exited")).get("exitCode").getAsInt());
            assertTrue(shell.waitFor(30, TimeUnit.SECONDS));
            assertEquals("child says 7\nparent: child exit=7 stops=0\n", Files.readString(out));
        }
    }

    @Test
    void aVforkChildHandedToAFreshAdapterIsFollowedThroughItsExec() throws Exception {
        int helloLine = lineOf(HELLO, "printf(\"hello from quiesce");
        try (DapTestClient parent = server.connect(); DapTestClient child = stdioAdapter()) {
            launchParent(parent, "vfork", TestServer.program("hello").toString(), "5");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            int pid = configuration.get("processId").getAsInt();
            parent.respondTo(request, null, null);
            attachChild(child, configuration, HELLO, helloLine);
            int childTid = breakpointStop(child);
            assertEquals(pid, childTid);
            assertEquals(helloLine, topLine(child, childTid));
            child.ok("continue", Map.of("threadId", childTid));
            assertEquals(5, body(child.event("exited")).get("exitCode").getAsInt());
            int parentTid = breakpointStop(parent);
            assertEquals(lineOf(SOURCE, "PARENT_LINE"), topLine(parent, parentTid), "the parent's code intact after the shared-memory handover");
            parent.ok("continue", Map.of("threadId", parentTid));
            String out = parentEnd(parent);
            assertTrue(out.contains("hello from quiesce\n") && out.contains("parent: child exit=5 stops=0\n"), out);
        }
    }

    @Test
    void aChildSessionThatDisconnectsWithTerminateDebuggeeKillsTheChild() throws Exception {
        try (DapTestClient parent = server.connect(); DapTestClient child = server.connect()) {
            launchParent(parent, "fork");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            parent.respondTo(request, null, null);
            int parentTid = breakpointStop(parent);
            attachChild(child, configuration, SOURCE, lineOf(SOURCE, "CHILD_LINE"));
            breakpointStop(child);
            child.ok("disconnect", Map.of("terminateDebuggee", true));
            parent.ok("continue", Map.of("threadId", parentTid));
            String out = parentEnd(parent);
            assertTrue(out.contains("parent: child signal=9 stops=0\n"), out);
            assertFalse(out.contains("child says"), out);
        }
    }

    @Test
    void aChildNobodyTakesIsLetGoCleanAndRunsToItsExit() throws Exception {
        String before = System.getProperty("quiesce.fork.offerMillis");
        System.setProperty("quiesce.fork.offerMillis", "1500");
        try (DapTestClient parent = server.connect()) {
            launchParent(parent, "fork");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            int pid = configuration.get("processId").getAsInt();
            Path socket = Path.of(configuration.getAsJsonObject(ChildSessions.HANDOVER_KEY).get("socket").getAsString());
            assertTrue(Files.exists(socket), "offered: its socket is there");
            int parentTid = breakpointStop(parent);
            // never answered, never attached: after the offer's time the child runs on untraced
            awaitCondition("the child runs untraced", () -> tracerPid(pid).equals("0") || tracerPid(pid).equals("gone"));
            awaitCondition("the offer's socket and directory are gone", () -> !Files.exists(socket.getParent()));
            parent.ok("continue", Map.of("threadId", parentTid));
            String out = parentEnd(parent);
            assertTrue(out.contains("child says 7\n"), out);
            assertTrue(out.contains("parent: child exit=7 stops=0\n"), out);
        } finally {
            if (before == null) {
                System.clearProperty("quiesce.fork.offerMillis");
            } else {
                System.setProperty("quiesce.fork.offerMillis", before);
            }
        }
    }

    @Test
    void aChildTheClientRefusesRunsOnAtOnce() throws Exception {
        try (DapTestClient parent = server.connect()) {
            launchParent(parent, "fork");
            JsonObject request = parent.reverseRequest("startDebugging");
            childConfiguration(request);
            parent.respondTo(request, null, "no child sessions here");
            // the refusal lets the child go at once (the offer's 30 s would outlast the client's timeout)
            String out;
            int parentTid = breakpointStop(parent);
            parent.ok("continue", Map.of("threadId", parentTid));
            out = parentEnd(parent);
            assertTrue(out.contains("parent: child exit=7 stops=0\n"), out);
            assertTrue(out.contains("did not open a session for fork child"), "said on the console: " + out);
        }
    }

    @Test
    void aVforkChildIsFollowedThroughItsExecToABreakpointPlacedBySourceInTheNewProgram() throws Exception {
        int helloLine = lineOf(HELLO, "printf(\"hello from quiesce");
        try (DapTestClient parent = server.connect(); DapTestClient child = server.connect()) {
            launchParent(parent, "vfork", TestServer.program("hello").toString(), "5");
            JsonObject request = parent.reverseRequest("startDebugging");
            JsonObject configuration = childConfiguration(request);
            assertTrue(configuration.getAsJsonObject(ChildSessions.HANDOVER_KEY).get("vfork").getAsBoolean());
            int pid = configuration.get("processId").getAsInt();
            parent.respondTo(request, null, null);
            attachChild(child, configuration, HELLO, helloLine); // hello is not loaded yet: placed at the exec
            int childTid = breakpointStop(child);
            assertEquals(pid, childTid);
            assertEquals(helloLine, topLine(child, childTid));
            assertTrue(topSource(child, childTid).endsWith("hello.c"));
            child.ok("continue", Map.of("threadId", childTid));
            assertEquals(5, body(child.event("exited")).get("exitCode").getAsInt());
            // the parent's own breakpoint (after vfork returns) works: its int3s came back after the child left its memory
            int parentTid = breakpointStop(parent);
            assertEquals(lineOf(SOURCE, "PARENT_LINE"), topLine(parent, parentTid));
            parent.ok("continue", Map.of("threadId", parentTid));
            String out = parentEnd(parent);
            assertTrue(out.contains("hello from quiesce\n"), out);
            assertTrue(out.contains("parent: child exit=5 stops=0\n"), out);
        }
    }

    @Test
    void aClientWithoutStartDebuggingIsToldAndTheChildRunsOn() throws Exception {
        try (DapTestClient parent = server.connect()) {
            parent.initialize();
            Map<String, Object> launch = launchArgs("fork_follow", "fork");
            launch.put("followForks", true);
            parent.ok("launch", launch);
            parent.event("process");
            parent.ok("configurationDone", Map.of());
            String out = parentEnd(parent);
            assertTrue(out.contains("parent: child exit=7 stops=0\n"), out);
            assertTrue(out.contains("supportsStartDebuggingRequest"), out);
            assertFalse(parent.history().stream().anyMatch(m -> DapTestClient.isType(m, "request")), "no reverse request");
        }
    }

    @Test
    void withoutFollowForksNoChildIsOffered() throws Exception {
        try (DapTestClient parent = server.connect()) {
            parent.initialize();
            parent.ok("launch", launchArgs("fork_follow", "fork"));
            parent.event("process");
            parent.ok("setBreakpoints", breakpoints(SOURCE, lineOf(SOURCE, "CHILD_LINE")));
            parent.ok("configurationDone", Map.of());
            String out = parentEnd(parent);
            assertTrue(out.contains("parent: child exit=7 stops=0\n"), out);
            assertFalse(parent.history().stream().anyMatch(m -> DapTestClient.isType(m, "request")), "no reverse request");
        }
    }

    // ---- a fresh adapter over stdio, as VS Code starts one per session

    private static final Map<DapTestClient, Process> ADAPTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private static DapTestClient stdioAdapter() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquiesce.native.dir=" + System.getProperty("quiesce.native.dir"),
                "-cp", System.getProperty("java.class.path"), "dev.quiesce.cli.Main");
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        DapTestClient client = new DapTestClient(p.getInputStream(), p.getOutputStream(), () -> {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        });
        ADAPTERS.put(client, p);
        return client;
    }

    private static int childAdapterPid(DapTestClient client) {
        return (int) ADAPTERS.get(client).pid();
    }

    private static String tracerPid(int pid) {
        try {
            return Files.readAllLines(Path.of("/proc", Integer.toString(pid), "status")).stream()
                    .filter(l -> l.startsWith("TracerPid:")).map(l -> l.substring(10).strip()).findFirst().orElse("gone");
        } catch (java.io.IOException e) {
            return "gone";
        }
    }
}
