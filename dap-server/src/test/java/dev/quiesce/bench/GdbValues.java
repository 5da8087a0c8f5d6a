package dev.quiesce.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The same stop in gdb 13 (-batch, its libstdc++ printers auto-loaded), each print timed inside
 * gdb by its Python (time.perf_counter around gdb.execute). gdb has no pages: a "first page" is
 * print with {@code print elements 1000}; the vector's last page is
 * {@code print big._M_impl._M_start[999000]@1000}; the map's last entries can only be seen by
 * printing all of it ({@code print elements unlimited}).
 */
final class GdbValues {
    private GdbValues() {}

    private static final List<String[]> PRINTS = List.of(
            new String[] {"locals", "set print elements 200", "info locals"},
            new String[] {"big first", "set print elements 1000", "print big"},
            new String[] {"big last", "set print elements 1000", "print big._M_impl._M_start[999000]@1000"},
            new String[] {"table first", "set print elements 1000", "print table"},
            new String[] {"table last", "set print elements unlimited", "print table"});

    static Map<String, Double> run(StartupProgram program) throws IOException, InterruptedException {
        Path script = Files.createTempFile("quiesce-gdb-values", ".py");
        StringBuilder py = new StringBuilder("import gdb, time\n");
        for (String[] p : PRINTS) {
            py.append("gdb.execute('").append(p[1]).append("')\n")
                    .append("t = time.perf_counter()\n")
                    .append("out = gdb.execute('").append(p[2]).append("', to_string=True)\n")
                    .append("print('@@ ").append(p[0].replace(' ', '_')).append(" %.3f %d' % ((time.perf_counter() - t) * 1000, len(out)))\n");
        }
        Files.writeString(script, py);
        try {
            Process gdb = new ProcessBuilder("gdb", "-nx", "-batch", "-ex", "break " + program.source() + ":" + program.line(), "-ex", "run",
                    "-ex", "source " + script, "-ex", "kill", program.binary().toString())
                    .redirectErrorStream(true).start();
            String out = new String(gdb.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            gdb.waitFor(60, TimeUnit.SECONDS);
            Map<String, Double> millis = new LinkedHashMap<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("@@ ")) {
                    String[] f = line.substring(3).split(" ");
                    millis.put(f[0].replace('_', ' '), Double.parseDouble(f[1]));
                }
            }
            if (millis.size() != PRINTS.size()) {
                throw new IllegalStateException("gdb: " + out);
            }
            return millis;
        } finally {
            Files.deleteIfExists(script);
        }
    }
}
