package dev.quiesce.debugger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** gdb's {@code bt} at the first stop of a breakpoint, as (function, file, line) rows: the oracle. */
final class GdbBacktrace {
    record Row(String function, String file, int line) {
        @Override
        public String toString() {
            return function + (file == null ? "" : " at " + file + ":" + line);
        }
    }

    private static final Pattern FRAME = Pattern.compile(
            "^#\\d+\\s+(?:0x[0-9a-f]+ in )?(\\S+|<signal handler called>)(?: \\(.*?\\))?(?: at (\\S+):(\\d+))?(?: from \\S+)?\\s*$");

    private GdbBacktrace() {
    }

    static List<Row> at(Path program, String breakpoint, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdb", "-nx", "-batch",
                "-ex", "set print frame-arguments none", "-ex", "handle SIGUSR1 nostop noprint pass",
                "-ex", "break " + breakpoint, "-ex", "run", "-ex", "bt", "--args", program.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gdb did not finish");
        }
        List<Row> rows = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = FRAME.matcher(line);
            if (m.matches()) {
                rows.add(new Row(m.group(1), m.group(2), m.group(3) == null ? 0 : Integer.parseInt(m.group(3))));
            }
        }
        if (rows.isEmpty()) {
            throw new IOException("no backtrace from gdb:\n" + out);
        }
        return rows;
    }
}
