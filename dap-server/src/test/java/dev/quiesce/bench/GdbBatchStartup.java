package dev.quiesce.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The same start without DAP: {@code gdb -batch -ex "break FILE:LINE" -ex run}, timed by when gdb
 * prints that it placed the breakpoint and that the program stopped at it.
 */
final class GdbBatchStartup {
    private GdbBatchStartup() {}

    static StartupRun run(StartupProgram program) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdb", "-nx", "-batch",
                "-ex", "break " + program.source() + ":" + program.line(), "-ex", "run",
                "-ex", "python import time; time.sleep(0.5)", "-ex", "kill", "--args", program.binary().toString()));
        command.addAll(program.args());
        long start = System.nanoTime();
        Process gdb = new ProcessBuilder(command).redirectErrorStream(true)
                .directory(program.binary().getParent().toFile()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(gdb.getInputStream(), StandardCharsets.UTF_8))) {
            double placed = -1;
            String line;
            while ((line = out.readLine()) != null) {
                long now = System.nanoTime();
                if (line.startsWith("Breakpoint 1 at ")) {
                    placed = StartupRun.millis(start, now);
                } else if (line.contains("Breakpoint 1, ")) {
                    long rss = ProcessTreeMemory.rssKib(gdb.pid(), program.binary());
                    return new StartupRun(-1, -1, placed, StartupRun.millis(start, now), rss);
                }
            }
            throw new IllegalStateException("gdb -batch on " + program.name() + ": no stop at the breakpoint");
        } finally {
            gdb.descendants().forEach(ProcessHandle::destroyForcibly);
            gdb.destroyForcibly();
            gdb.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
