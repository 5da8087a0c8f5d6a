package dev.quiesce.core;

import dev.quiesce.engine.TestPrograms;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/** Core files of test-programs' core_dump: one the kernel writes as it crashes, one gdb's gcore writes of it running. */
public final class Cores {
    private Cores() {
    }

    public static Path program() {
        return TestPrograms.path("core_dump");
    }

    /**
     * The kernel's core of core_dump crashing, in {@code dir}. The core goes where
     * /proc/sys/kernel/core_pattern says: here "core" (the crashing process's cwd); a pattern
     * that pipes to a handler (systemd-coredump, apport) or names another folder is not
     * something a test should change on a shared machine, so then the test is skipped, saying so.
     */
    public static Path kernelCore(Path dir) throws IOException, InterruptedException {
        String pattern = Files.readString(Path.of("/proc/sys/kernel/core_pattern")).strip();
        Assumptions.assumeFalse(pattern.startsWith("|") || pattern.contains("/"),
                "kernel.core_pattern is \"" + pattern + "\": cores go to a handler or another folder, not the crashing program's cwd");
        Process p = new ProcessBuilder("sh", "-c", "ulimit -c unlimited; cd \"$1\" && \"$0\"", program().toString(), dir.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("core_dump did not crash");
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> cores = files.filter(f -> f.getFileName().toString().startsWith("core")).toList();
            Assumptions.assumeFalse(cores.isEmpty(), "no core was written (core_pattern \"" + pattern + "\", a hard core limit?)");
            return cores.get(0);
        }
    }

    /** gdb's gcore of core_dump while it waits in level2 (same stack as the crash), in {@code dir}. */
    public static Path gcore(Path dir) throws IOException, InterruptedException {
        Process program = new ProcessBuilder(program().toString(), "wait").start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(program.getInputStream(), StandardCharsets.UTF_8));
            if (!"ready".equals(out.readLine())) {
                throw new IOException("core_dump wait did not say ready");
            }
            Path prefix = dir.resolve("gcore");
            Process gcore = new ProcessBuilder("gcore", "-o", prefix.toString(), Long.toString(program.pid()))
                    .redirectErrorStream(true).start();
            String said = new String(gcore.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gcore.waitFor(120, TimeUnit.SECONDS) || gcore.exitValue() != 0) {
                throw new IOException("gcore failed: " + said);
            }
            return dir.resolve("gcore." + program.pid());
        } finally {
            program.destroyForcibly();
            program.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
