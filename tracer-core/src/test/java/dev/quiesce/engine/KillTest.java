package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Killing a program leaves nothing of it behind, in any state. */
class KillTest {

    /**
     * A program killed while it forks: a child whose first stop came before the parent's fork
     * event, whose parent then died inside fork (a fatal signal skips the event stop), used to
     * wait for that event for good, stopped and traced (even SIGKILL did not end it). About one
     * kill in five hit that window here; 20 kills take a few seconds.
     */
    @Test
    void aProgramKilledWhileItForksLeavesNoChildStoppedBehind() throws Exception {
        Path exe = TestPrograms.path("forker").toRealPath();
        for (int kill = 1; kill <= 20; kill++) {
            Debuggee d = Debuggee.launch("forker", StopMode.NON_STOP, "100000");
            d.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (processesOf(exe).size() < 2 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000); // until it has forked: we kill it mid-loop
            }
            d.process.kill().get(30, TimeUnit.SECONDS);
            // Its children exit at once untraced; whatever is still there after 10 s is left behind.
            List<Integer> left = processesOf(exe);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!left.isEmpty() && System.nanoTime() < end) {
                LockSupport.parkNanos(1_000_000);
                left = processesOf(exe);
            }
            int k = kill;
            List<Integer> leftover = left;
            String states = leftover.stream().map(Leftover::describe).collect(Collectors.joining("; "));
            leftover.forEach(Leftover::kill);
            assertTrue(leftover.isEmpty(), () -> "after kill " + k + ", left behind: " + states);
        }
    }

    private static List<Integer> processesOf(Path exe) throws Exception {
        List<Integer> found = new ArrayList<>();
        try (var entries = Files.list(Path.of("/proc"))) {
            for (Path p : entries.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)) {
                    try {
                        if (p.resolve("exe").toRealPath().equals(exe)) {
                            found.add(Integer.parseInt(name));
                        }
                    } catch (java.io.IOException gone) {
                        // exited meanwhile, or a kernel thread
                    }
                }
            }
        }
        return found;
    }
}
