package dev.quiesce.symbols;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code gdb -batch} on a binary as a test oracle: where it puts breakpoints (no process runs). */
final class GdbOracle {
    /** One breakpoint location as {@code info breakpoints} lists it. */
    record Location(long address, String function, String file, int line) {
    }

    private static final Pattern LOCATION = Pattern.compile(
            "^\\s*\\d+(?:\\.\\d+)?\\s+(?:breakpoint\\s+keep\\s+)?y\\s+0x([0-9a-f]+)\\s+in\\s+(.+?)\\s+at\\s+(\\S+):(\\d+)\\s*$");

    private GdbOracle() {
    }

    /** What {@code gdb -batch -ex COMMAND} prints on the binary (no process runs), stdout and stderr. */
    static String run(Path binary, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-ex", command, binary.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gdb did not finish");
        }
        return out;
    }

    /** Every location of {@code break SPEC}, in gdb's order. */
    static List<Location> breakpoint(Path binary, String spec) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("gdb", "-nx", "-batch", "-ex", "set breakpoint pending off",
                "-ex", "break " + spec, "-ex", "info breakpoints", binary.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gdb did not finish");
        }
        List<Location> locations = new ArrayList<>();
        for (String line : out.split("\n")) {
            Matcher m = LOCATION.matcher(line);
            if (m.matches()) {
                locations.add(new Location(Long.parseUnsignedLong(m.group(1), 16), m.group(2), m.group(3),
                        Integer.parseInt(m.group(4))));
            }
        }
        return locations;
    }
}
