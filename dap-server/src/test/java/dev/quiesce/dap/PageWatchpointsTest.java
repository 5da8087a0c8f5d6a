package dev.quiesce.dap;

import static dev.quiesce.dap.LaunchAndExitTest.launchArgs;
import static dev.quiesce.dap.testing.DapTestClient.body;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.quiesce.dap.testing.DapTestBase;
import dev.quiesce.dap.testing.DapTestClient;
import dev.quiesce.dap.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Software watchpoints by page protection (issue 17) where the page is not simply written by
 * movs: test-programs/src/watch_pages.c protects the watched page itself (its own SIGSEGV
 * handler gives write access back), then writes it with a locked add (not performed by the
 * tracer: stepped with the page open) and through read() (the kernel's write: the syscall's
 * EFAULT is retried with the page open). Where each stop is reported is gdb 13's, with
 * {@code set can-use-hw-watchpoints 0} (its software watchpoint sees the kernel's write too):
 * main:43, main:45, then inside libc's read.
 */
class PageWatchpointsTest extends DapTestBase {
    private static final String SRC = BreakpointsAndSteppingTest.source("watch_pages.c");
    private static final String OUTPUT = "faults=1 ours=1 value=77 other=9 read=4";

    @AfterEach
    void hardwareAgain() {
        System.clearProperty("quiesce.watch.software");
    }

    private static String untracedOutput() throws Exception {
        return untracedOutput("watch_pages");
    }

    private static String untracedOutput(String program) throws Exception {
        Process p = new ProcessBuilder(TestServer.program(program).toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    @Test
    void aProgramThatProtectsTheWatchedPageItselfGetsItsOwnFaultAndTheWatchStillSeesEveryWrite() throws Exception {
        assertEquals(OUTPUT, untracedOutput(), "the program untraced: one fault of its own, at box.value");
        System.setProperty("quiesce.watch.software", "true");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("watch_pages"));
            client.event("process");
            client.ok("setBreakpoints", Map.of("source", Map.of("path", SRC), "breakpoints", List.of(Map.of("line", 41))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("setBreakpoints", Map.of("source", Map.of("path", SRC), "breakpoints", List.of()));
            int frameId = WatchpointsTest.top(client, tid).get("id").getAsInt();
            JsonObject info = body(client.ok("dataBreakpointInfo", Map.of("name", "box.value", "frameId", frameId)));
            WatchpointsTest.setWatch(client, info, "write");
            assertEquals("box.value (software watchpoint: page protection)", WatchpointsTest.lastSetMessage);

            // its own mprotect(PROT_READ): the store faults for the program, which the client sees
            // stop (as gdb stops on SIGSEGV) and which is delivered to its handler on continue
            JsonObject stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("exception", stop.get("reason").getAsString(), stop.toString());
            assertEquals("SIGSEGV", stop.get("text").getAsString());
            assertEquals("main:42", WatchpointsTest.where(client, tid));
            // the handler gives write access back, the store is retried: now the trap's
            stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("data breakpoint", stop.get("reason").getAsString(), stop.toString());
            assertEquals("box.value: Old value = 1, New value = 5", stop.get("description").getAsString());
            assertEquals("main:43", WatchpointsTest.where(client, tid));
            // box.other = 9 on the same page does not stop; the locked add is stepped with the page open
            stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("box.value: Old value = 5, New value = 6", stop.get("description").getAsString());
            assertEquals("main:45", WatchpointsTest.where(client, tid));
            // read() into the page: the kernel's write
            stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("box.value: Old value = 6, New value = 77", stop.get("description").getAsString());
            String where = WatchpointsTest.where(client, tid);
            assertTrue(where.contains("read"), "in libc's read, as gdb's software watchpoint stops: " + where);
            WatchpointsTest.continueToExit(client, tid, OUTPUT);
        }
    }

    /**
     * watch_fork.c: a fork child writes its copy of the watched page, a vfork child the shared
     * page, each untraced. Neither may inherit the protection (it would die of SIGSEGV: the
     * first check is the exit statuses the parent prints); the watch still fires afterwards.
     */
    @Test
    void forkAndVforkChildrenRunUntracedWithTheirPagesUnprotectedAndTheWatchStillFires() throws Exception {
        String src = BreakpointsAndSteppingTest.source("watch_fork.c");
        String output = "fork child exit=5, vfork child exit=6, neighbour=6 watched=2";
        assertEquals(output, untracedOutput("watch_fork"));
        System.setProperty("quiesce.watch.software", "true");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("watch_fork"));
            client.event("process");
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of(Map.of("line", 22))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of()));
            int frameId = WatchpointsTest.top(client, tid).get("id").getAsInt();
            JsonObject info = body(client.ok("dataBreakpointInfo", Map.of("name", "watched", "frameId", frameId)));
            WatchpointsTest.setWatch(client, info, "write");
            assertEquals("watched (software watchpoint: page protection)", WatchpointsTest.lastSetMessage);
            JsonObject stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("data breakpoint", stop.get("reason").getAsString(), stop.toString());
            assertEquals("watched: Old value = 1, New value = 2", stop.get("description").getAsString());
            assertEquals("main:36", WatchpointsTest.where(client, tid));
            WatchpointsTest.continueToExit(client, tid, output);
        }
    }

    /**
     * watch_threads.c: four threads store to their slots and lock-add a shared counter on the
     * watched page (8000 locked adds, each stepped with the page open and the others held,
     * while the others fault on it meanwhile). The counter must be exact and the one write of
     * the watched global must stop once, in main.
     */
    @Test
    void fourThreadsHammeringTheWatchedPageKeepTheirLockedAddsAtomic() throws Exception {
        String src = BreakpointsAndSteppingTest.source("watch_threads.c");
        String output = "counter=8000 slots=1999,1999,1999,1999 watched=2";
        assertEquals(output, untracedOutput("watch_threads"));
        System.setProperty("quiesce.watch.software", "true");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("watch_threads"));
            client.event("process");
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of(Map.of("line", 28))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of()));
            int frameId = WatchpointsTest.top(client, tid).get("id").getAsInt();
            JsonObject info = body(client.ok("dataBreakpointInfo", Map.of("name", "watched", "frameId", frameId)));
            WatchpointsTest.setWatch(client, info, "write");
            JsonObject stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("data breakpoint", stop.get("reason").getAsString(), stop.toString());
            assertEquals(tid, stop.get("threadId").getAsInt(), "main writes it");
            assertEquals("watched: Old value = 1, New value = 2", stop.get("description").getAsString());
            assertEquals("main:32", WatchpointsTest.where(client, tid));
            WatchpointsTest.continueToExit(client, tid, output);
        }
    }

    /**
     * Detach in the middle of watch_threads' hammering (at the 1000th pass of a worker's loop,
     * threads faulting on the trapped page, maybe one stepping with the others held): the
     * program must finish untraced with its pages unprotected and nothing of ours pending
     * (a SIGSEGV or SIGTRAP would kill it before it writes its result).
     */
    @Test
    void detachingWhileThreadsHammerTheTrappedPageLetsTheProgramFinish(@TempDir Path tmp) throws Exception {
        String src = BreakpointsAndSteppingTest.source("watch_threads.c");
        Path result = tmp.resolve("result");
        System.setProperty("quiesce.watch.software", "true");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("watch_threads", result.toString()));
            client.event("process");
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of(Map.of("line", 28))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            int frameId = WatchpointsTest.top(client, tid).get("id").getAsInt();
            WatchpointsTest.setWatch(client, body(client.ok("dataBreakpointInfo", Map.of("name", "watched", "frameId", frameId))), "write");
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of(Map.of("line", 19, "hitCondition", "1000"))));
            JsonObject stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("breakpoint", stop.get("reason").getAsString(), stop.toString());
            client.ok("disconnect", Map.of("terminateDebuggee", false));
            client.awaitClosed();
        }
        awaitCondition("the detached program writes its result", () -> readOrEmpty(result).endsWith("\n"));
        assertEquals("counter=8000 watched=2", readOrEmpty(result).strip());
    }

    /**
     * watch_read.c: read() of 8 bytes from a file into a buffer whose last 4 are the watched int
     * (the first page not trapped). The kernel would stop copying at the trapped page and return
     * 4, not EFAULT; the program must get its 8 bytes, and the watch must see the kernel's write
     * (0 -> 1) from inside read.
     */
    @Test
    void aReadWhoseBufferRunsIntoTheTrappedPageIsNotCutShort() throws Exception {
        String src = BreakpointsAndSteppingTest.source("watch_read.c");
        String output = "read=8 lead=abcd value=1 other=1";
        assertEquals(output, untracedOutput("watch_read"));
        System.setProperty("quiesce.watch.software", "true");
        try (DapTestClient client = server.connect()) {
            client.initialize();
            client.ok("launch", launchArgs("watch_read"));
            client.event("process");
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of(Map.of("line", 21))));
            client.ok("configurationDone", Map.of());
            int tid = body(client.event("stopped")).get("threadId").getAsInt();
            client.ok("setBreakpoints", Map.of("source", Map.of("path", src), "breakpoints", List.of()));
            int frameId = WatchpointsTest.top(client, tid).get("id").getAsInt();
            WatchpointsTest.setWatch(client, body(client.ok("dataBreakpointInfo", Map.of("name", "pair.value", "frameId", frameId))), "write");
            assertEquals("pair.value (software watchpoint: page protection)", WatchpointsTest.lastSetMessage);
            JsonObject stop = WatchpointsTest.continueToStop(client, tid);
            assertEquals("pair.value: Old value = 0, New value = 1", stop.get("description").getAsString(), stop.toString());
            String where = WatchpointsTest.where(client, tid);
            assertTrue(where.contains("read"), "in libc's read: " + where);
            WatchpointsTest.continueToExit(client, tid, output);
        }
    }

    private static String readOrEmpty(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
