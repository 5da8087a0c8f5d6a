package dev.quiesce.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** ThreadNice changes the calling thread's nice value only: the kernel's /proc view agrees. */
class ThreadNiceTest {

    @Test
    void aThreadLowersItsOwnNiceAndNoOneElses() throws Exception {
        int before = ThreadNice.get();
        CompletableFuture<int[]> seen = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                assertTrue(ThreadNice.set(ThreadNice.LOWEST));
                seen.complete(new int[] {ThreadNice.get(), niceInProc()});
            } catch (Exception | Error e) {
                seen.completeExceptionally(e);
            }
        });
        t.start();
        int[] nice = seen.get(10, TimeUnit.SECONDS);
        assertEquals(ThreadNice.LOWEST, nice[0]);
        assertEquals(ThreadNice.LOWEST, nice[1], "/proc/thread-self/stat's nice field");
        assertEquals(before, ThreadNice.get(), "the calling thread keeps its own");
        t.join();
    }

    /** Field 19 of /proc/thread-self/stat (after the parenthesised name). */
    private static int niceInProc() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]);
    }
}
