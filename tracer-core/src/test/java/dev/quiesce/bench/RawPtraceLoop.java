package dev.quiesce.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs bench/raw_ptrace_loop.c's binary: it prints "MODE COUNT SECONDS"; this gives microseconds per unit. */
final class RawPtraceLoop {
    private RawPtraceLoop() {
    }

    static double microsPerUnit(Path binary, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor();
        String[] parts = out.split("\\s+");
        if (parts.length != 3) {
            throw new IllegalStateException("raw_ptrace_loop said: " + out);
        }
        return Double.parseDouble(parts[2]) * 1e6 / Long.parseLong(parts[1]);
    }
}
