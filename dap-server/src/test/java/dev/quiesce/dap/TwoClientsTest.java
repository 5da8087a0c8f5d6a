package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clients on one process over one TCP server (PRODUCT.md, "Attach request"): session A
 * launches threads non-stop, session B attaches to its pid. Each session sees only its own
 * stops, a thread runs only when neither holds it, and B's disconnect leaves A and the program
 * exactly as they were (B's int3 out of memory, A's kept).
 */
class TwoClientsTest extends DapTestBase {
    /** threads.c: {@code counters[index]++;} in worker(), passed by every worker every 0.1 ms. */
    private static final int COUNT_LINE = 21;

    private static String source() {
        return TestServer.program("threads").getParent().resolve("../../src/threads.c").normalize().toString();
    }

    private static Map<String, Object> breakpointAt(int line, String condition) {
        return Map.of("source", Map.of("path", source()), "breakpoints", List.of(Map.of("line", line, "condition", condition)));
    }

    private static int launchThreads(DapTestClient a, Path stopFile) {
        a.initialize();
        a.ok("launch", launchArgs("threads", "4", stopFile.toString()));
        int pid = body(a.event("process")).get("systemProcessId").getAsInt();
        a.ok("configurationDone", Map.of());
        awaitCondition("the four workers are named", () -> {
            for (int i = 1; i <= 4; i++) {
                if (threadNamed(a, "worker-" + i) < 0) {
                    return false;
                }
            }
            return true;
        });
        return pid;
    }

    private static void attach(DapTestClient b, int pid) {
        b.initialize();
        b.ok("attach", Map.of("processId", pid));
        assertEquals("attach", body(b.event("process")).get("startMethod").getAsString());
        b.ok("configurationDone", Map.of());
    }

    /** The thread's id in that session's threads list, -1 if absent. */
    private static int threadNamed(DapTestClient client, String name) {
        for (var t : body(client.ok("threads", Map.of())).getAsJsonArray("threads")) {
            if (DapTestClient.threadName(t.getAsJsonObject()).equals(name)) {
                return t.getAsJsonObject().get("id").getAsInt();
            }
        }
        return -1;
    }

    /** The {@code field} of each element of the response body's {@code array}. */
    private static java.util.Set<String> names(JsonObject response, String array, String field) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (var e : body(response).getAsJsonArray(array)) {
            out.add(e.getAsJsonObject().get(field).getAsString());
        }
        return out;
    }

    private static JsonObject topFrame(DapTestClient client, int tid) {
        return body(client.ok("stackTrace", Map.of("threadId", tid, "levels", 1))).getAsJsonArray("stackFrames")
                .get(0).getAsJsonObject();
    }

    /** The kernel's state letter of a thread: 't' is a ptrace stop. */
    private static char kernelState(int pid, int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/task/" + tid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (java.io.IOException e) {
            return '?';
        }
    }

    /** The byte in the process's memory as it is, int3s included (the program's view hides ours). */
    private static int rawByte(int pid, long address) throws Exception {
        try (RandomAccessFile mem = new RandomAccessFile("/proc/" + pid + "/mem", "r")) {
            mem.seek(address);
            return mem.read();
        }
    }

    /**
     * Waits until the raw byte is our int3: a thread stepping over the breakpoint lifts it for a
     * moment, so one read may miss it; a breakpoint that is gone never shows it.
     */
    private static void awaitInt3(int pid, long address, String what) {
        awaitCondition(what, () -> {
            try {
                return rawByte(pid, address) == 0xCC;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    /** The byte as the debugger shows the program's memory (readMemory: the program's own bytes). */
    private static int programByte(DapTestClient client, long address) {
        String data = body(client.ok("readMemory", Map.of("memoryReference", "0x" + Long.toHexString(address), "count", 1)))
                .get("data").getAsString();
        return Base64.getDecoder().decode(data)[0] & 0xff;
    }

    private static long stoppedEventsFor(DapTestClient client, int tid) {
        return client.history().stream().filter(m -> DapTestClient.isType(m, "event")
                && m.get("event").getAsString().equals("stopped") && body(m).get("threadId").getAsInt() == tid).count();
    }

    @Test
    void secondClientStopsAThreadTheFirstDoesNotSeeThenDetachesLeavingTheFirstAsItWas(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        try (DapTestClient a = server.connect(); DapTestClient b = server.connect()) {
            int pid = launchThreads(a, stopFile);
            attach(b, pid);
            int w1 = threadNamed(a, "worker-1");
            int w2 = threadNamed(a, "worker-2");
            int w3 = threadNamed(a, "worker-3");
            assertEquals(w3, threadNamed(b, "worker-3"), "B sees the same threads");
            assertEquals(names(a.ok("modules", Map.of()), "modules", "name"), names(b.ok("modules", Map.of()), "modules", "name"),
                    "B sees the modules A sees");
            java.util.Set<String> bSources = names(b.ok("loadedSources", Map.of()), "sources", "path");
            assertTrue(bSources.contains(source()), "B's loadedSources has threads.c: " + bSources);
            assertEquals(names(a.ok("loadedSources", Map.of()), "sources", "path"), bSources);

            // B: a conditional breakpoint that only worker-3 (index 2) meets
            b.ok("setBreakpoints", breakpointAt(COUNT_LINE, "index == 2"));
            JsonObject hit = body(b.event("stopped"));
            assertEquals("breakpoint", hit.get("reason").getAsString());
            assertEquals(w3, hit.get("threadId").getAsInt());
            JsonObject bFrame = topFrame(b, w3);
            assertEquals(COUNT_LINE, bFrame.get("line").getAsInt());
            long address = Long.decode(bFrame.get("instructionPointerReference").getAsString());
            awaitInt3(pid, address, "B's int3 is in memory");
            int original = programByte(a, address);
            assertNotEquals(0xCC, original);

            // A: the thread B stopped is listed and running
            assertEquals(w3, threadNamed(a, "worker-3"));
            JsonObject aStack = a.request("stackTrace", Map.of("threadId", w3));
            assertFalse(aStack.get("success").getAsBoolean(), "A's stackTrace of a thread only B stopped: " + aStack);
            assertTrue(aStack.get("message").getAsString().contains("is running"), aStack.toString());

            // A pauses worker-1 and continues worker-3 (which A never stopped)
            a.ok("pause", Map.of("threadId", w1));
            assertEquals("pause", body(a.event("stopped", e -> body(e).get("threadId").getAsInt() == w1)).get("reason").getAsString());
            a.ok("continue", Map.of("threadId", w3));
            assertEquals('t', kernelState(pid, w3), "A's continue does not resume B's stop");
            assertEquals(COUNT_LINE, topFrame(b, w3).get("line").getAsInt(), "B still sees worker-3 stopped");
            a.ok("continue", Map.of("threadId", w1));

            // both sessions break at one address: one int3
            a.ok("setBreakpoints", breakpointAt(COUNT_LINE, "index == 1"));
            JsonObject aHit = body(a.event("stopped", e -> body(e).get("threadId").getAsInt() == w2));
            assertEquals("breakpoint", aHit.get("reason").getAsString());
            awaitInt3(pid, address, "one int3 for both sessions' breakpoints");

            // B detaches with worker-3 still stopped
            b.ok("disconnect", Map.of("terminateDebuggee", false));
            b.awaitClosed();
            awaitCondition("worker-3, held only by B, runs", () -> kernelState(pid, w3) != 't');
            awaitInt3(pid, address, "A's breakpoint keeps the int3 B's left");
            assertEquals('t', kernelState(pid, w2), "A's breakpoint stop is untouched");
            assertEquals(COUNT_LINE, topFrame(a, w2).get("line").getAsInt());

            // A goes on: its breakpoint still hits
            a.ok("continue", Map.of("threadId", w2));
            a.event("stopped", e -> body(e).get("threadId").getAsInt() == w2 && body(e).get("reason").getAsString().equals("breakpoint"));
            a.ok("setBreakpoints", Map.of("source", Map.of("path", source()), "breakpoints", List.of()));
            assertEquals(original, rawByte(pid, address), "no int3 left once A's breakpoint goes");
            a.ok("continue", Map.of("threadId", w2));

            // and ends as untraced
            Files.createFile(stopFile);
            assertEquals(0, body(a.event("exited")).get("exitCode").getAsInt());
            a.event("terminated");
            assertEquals(0, stoppedEventsFor(a, w3), "A never heard of B's stop");
            assertEquals(0, stoppedEventsFor(b, w1), "B never heard of A's pause");
            assertEquals(0, stoppedEventsFor(b, w2), "B never heard of A's breakpoint");
            a.assertSchemaValid();
            b.assertSchemaValid();
        }
    }

    @Test
    void attachWhileTheFirstHoldsAThreadAndTheLaunchersTerminateEndsBoth(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        try (DapTestClient a = server.connect(); DapTestClient b = server.connect()) {
            int pid = launchThreads(a, stopFile);
            int w2 = threadNamed(a, "worker-2");
            a.ok("pause", Map.of("threadId", w2));
            a.event("stopped", e -> body(e).get("threadId").getAsInt() == w2);

            attach(b, pid);
            JsonObject bStack = b.request("stackTrace", Map.of("threadId", w2));
            assertFalse(bStack.get("success").getAsBoolean(), "A's pause is not B's stop: " + bStack);
            b.ok("pause", Map.of("threadId", w2));
            assertEquals("pause", body(b.event("stopped", e -> body(e).get("threadId").getAsInt() == w2)).get("reason").getAsString());
            a.ok("continue", Map.of("threadId", w2));
            assertEquals('t', kernelState(pid, w2), "B holds it now");
            b.ok("continue", Map.of("threadId", w2));
            awaitCondition("worker-2 runs once neither holds it", () -> kernelState(pid, w2) != 't');

            a.ok("disconnect", Map.of()); // the launcher's default: terminate
            a.awaitClosed();
            assertEquals(137, body(b.event("exited")).get("exitCode").getAsInt(), "killed: 128 + SIGKILL");
            b.event("terminated");
            awaitCondition("the process is gone", () -> !Files.exists(Path.of("/proc/" + pid + "/status"))
                    || !dev.quiesce.linux.ProcFs.tasks(pid).contains(w2));
        }
    }

    @Test
    void anAllStopSessionsStopHoldsEveryThreadOnlyForItself(@TempDir Path tmp) throws Exception {
        Path stopFile = tmp.resolve("stop");
        try (DapTestClient a = server.connect(); DapTestClient b = server.connect()) {
            int pid = launchThreads(a, stopFile);
            int w1 = threadNamed(a, "worker-1");
            b.initialize();
            b.ok("attach", Map.of("processId", pid, "nonStop", false));
            b.event("process");
            b.ok("configurationDone", Map.of());

            b.ok("pause", Map.of("threadId", w1));
            JsonObject stopped = body(b.event("stopped"));
            assertTrue(stopped.get("allThreadsStopped").getAsBoolean(), stopped.toString());
            List<Integer> tids = dev.quiesce.linux.ProcFs.tasks(pid);
            for (int tid : tids) {
                assertEquals('t', kernelState(pid, tid), "B's all-stop holds thread " + tid);
            }
            assertFalse(a.request("stackTrace", Map.of("threadId", w1)).get("success").getAsBoolean(),
                    "for A (non-stop) the threads still run");
            a.ok("pause", Map.of("threadId", w1));
            JsonObject aPause = body(a.event("stopped", e -> body(e).get("threadId").getAsInt() == w1));
            assertEquals("pause", aPause.get("reason").getAsString());
            assertFalse(aPause.get("allThreadsStopped").getAsBoolean(), "A is non-stop: its pause is of one thread");

            b.ok("continue", Map.of("threadId", w1)); // all-stop: every thread B holds
            for (int tid : tids) {
                if (tid != w1) {
                    awaitCondition("thread " + tid + " runs once B continues", () -> kernelState(pid, tid) != 't');
                }
            }
            assertEquals('t', kernelState(pid, w1), "A's pause still holds worker-1");
            b.ok("disconnect", Map.of("terminateDebuggee", false));
            b.awaitClosed();
            a.ok("continue", Map.of("threadId", w1));
            Files.createFile(stopFile);
            assertEquals(0, body(a.event("exited")).get("exitCode").getAsInt());
        }
    }

    @Test
    void aClientLeavingDuringItsFunctionCallLeavesTheThreadToFinishTheCallAndGoOn() throws Exception {
        try (DapTestClient a = server.connect(); DapTestClient b = server.connect()) {
            a.initialize();
            Map<String, Object> launch = new java.util.HashMap<>(launchArgs("calls"));
            launch.put("stopOnEntry", true);
            a.ok("launch", launch);
            int pid = body(a.event("process")).get("systemProcessId").getAsInt();
            a.ok("configurationDone", Map.of());
            int main = body(a.event("stopped")).get("threadId").getAsInt();

            attach(b, pid);
            var set = body(b.ok("setFunctionBreakpoints", Map.of("breakpoints", List.of(Map.of("name", "stop_here")))))
                    .getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            if (!set.get("verified").getAsBoolean()) {
                // B's attach can be answered before B's modules are read: the breakpoint is
                // planted (and says so in a breakpoint event) once they are; A runs main only then.
                b.event("breakpoint", m -> body(m).getAsJsonObject("breakpoint").get("verified").getAsBoolean());
            }
            a.ok("continue", Map.of("threadId", main));
            assertEquals(main, body(b.event("stopped")).get("threadId").getAsInt(), "B's breakpoint stops main");
            int frameId = topFrame(b, main).get("id").getAsInt();
            b.send("evaluate", Map.of("expression", "spins()", "frameId", frameId, "context", "repl")); // never returns
            awaitCondition("main runs the callee", () -> kernelState(pid, main) == 'R');
            b.send("disconnect", Map.of("terminateDebuggee", false));
            b.awaitClosed();

            // the call times out (3 s), main gets its registers back and goes on from stop_here
            assertEquals(0, body(a.event("exited")).get("exitCode").getAsInt());
            String output = a.history().stream().filter(m -> DapTestClient.isType(m, "event") && m.get("event").getAsString().equals("output"))
                    .map(m -> body(m).get("output").getAsString()).reduce("", String::concat);
            assertTrue(output.contains("calls done: counter=0 add=3 twice=8"), output);
        }
    }
}
