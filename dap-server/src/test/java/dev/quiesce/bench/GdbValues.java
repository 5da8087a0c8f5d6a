package dev.quiesce.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The same stop in gdb 13 (its libstdc++ printers auto-loaded), driven over its machine
 * interface (MI, on pipes, as an IDE talks to it), each print timed as the DAP columns are:
 * from the command written to its {@code ^done} read by this client, with the printed text
 * sent over the pipe before it; and gdb's CPU time over the same span. gdb has no pages: a "first
 * page" is print with {@code print elements 1000} (2000 for the map: gdb counts a key and its value
 * as two, and the page has 1000 entries); the vector's last page is
 * {@code print big._M_impl._M_start[999000]@1000}; the map's last entries can only be seen by
 * printing all of it ({@code print elements unlimited}; left out with
 * {@code quiesce.bench.values.gdbQuick}). A session may instead time each print but the
 * unlimited one inside gdb (Python's perf_counter around gdb.execute(to_string=True)): gdb's work
 * without writing its output, the way this bench timed gdb before.
 */
final class GdbValues {
    private static final long TIMEOUT_MILLIS = 300_000;

    private GdbValues() {}

    /** Row, print elements, command, text its output must hold (the page's last element). */
    private static final List<String[]> PRINTS = List.of(
            new String[] {"locals", "200", "info locals", "big = std::vector of length 1000000"},
            new String[] {"big first", "1000", "print big", ", 998, 999...}"},
            new String[] {"big last", "1000", "print big._M_impl._M_start[999000]@1000", ", 999998, 999999}"},
            new String[] {"table first", "2000", "print table", "[999] = 1998...}"}, // key and value count as two
            new String[] {"table last", "unlimited", "print table", "[99999] = 199998}"});

    private record Line(String text, long nanos) {}

    /**
     * One gdb session at the stop. {@code inside}: each print (but the unlimited one) is timed
     * inside gdb instead, in a session of its own so that neither way sees the other's caches warm.
     */
    static Map<String, Double> run(StartupProgram program, boolean inside) throws IOException, InterruptedException {
        Process gdb = new ProcessBuilder("gdb", "-nx", "-q", "--interpreter=mi3", program.binary().toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(gdb.getInputStream(), StandardCharsets.UTF_8), 1 << 16)) {
                for (String l; (l = in.readLine()) != null; ) {
                    lines.add(new Line(l, System.nanoTime()));
                }
            } catch (IOException gone) {
                // gdb ended
            }
        }, "bench-gdb-reader");
        reader.setDaemon(true);
        reader.start();
        OutputStream out = gdb.getOutputStream();
        try {
            int[] token = {0};
            command(out, lines, token, "-break-insert " + program.source() + ":" + program.line());
            command(out, lines, token, "-exec-run");
            await(lines, l -> l.startsWith("*stopped"), "the breakpoint stop");
            Map<String, Double> millis = new LinkedHashMap<>();
            for (String[] p : PRINTS) {
                if (p[1].equals("unlimited") && Boolean.getBoolean("quiesce.bench.values.gdbQuick")) {
                    continue; // ~40 s a round
                }
                command(out, lines, token, "-gdb-set print elements " + p[1]);
                if (inside) {
                    if (!p[1].equals("unlimited")) {
                        millis.put(p[0], inside(out, lines, token, p[2]));
                    }
                    continue;
                }
                long cpu = ProcessTreeCpu.nanos(gdb.pid());
                long sent = System.nanoTime();
                StringBuilder printed = new StringBuilder();
                Line done = command(out, lines, token, "-interpreter-exec console \"" + p[2] + "\"", printed);
                millis.put(p[0], StartupRun.millis(sent, done.nanos()));
                millis.put("cpu " + p[0], (ProcessTreeCpu.nanos(gdb.pid()) - cpu) / 1e6);
                if (printed.indexOf(p[3]) < 0) {
                    throw new IllegalStateException("gdb's " + p[2] + " does not show '" + p[3] + "': "
                            + printed.substring(0, Math.min(300, printed.length())));
                }
            }
            return millis;
        } finally {
            gdb.destroyForcibly();
            gdb.waitFor(5, TimeUnit.SECONDS);
        }
    }

    /**
     * The same print timed inside gdb (Python's perf_counter around gdb.execute, its text kept in
     * a string, nothing written): gdb's own work without its MI output, for comparison.
     */
    private static double inside(OutputStream out, BlockingQueue<Line> lines, int[] token, String print)
            throws IOException, InterruptedException {
        StringBuilder printed = new StringBuilder();
        command(out, lines, token, "-interpreter-exec console \"python import time; t = time.perf_counter(); gdb.execute('"
                + print + "', to_string=True); print('@@ %.3f' % ((time.perf_counter() - t) * 1000))\"", printed);
        int at = printed.indexOf("@@ ");
        if (at < 0) {
            throw new IllegalStateException("gdb's python gave no time: " + printed);
        }
        return Double.parseDouble(printed.substring(at + 3).split("\\\\")[0].trim());
    }

    private static Line command(OutputStream out, BlockingQueue<Line> lines, int[] token, String command)
            throws IOException, InterruptedException {
        return command(out, lines, token, command, new StringBuilder());
    }

    /** Sends one MI command and waits for its result record; console output on the way goes to {@code printed}. */
    private static Line command(OutputStream out, BlockingQueue<Line> lines, int[] token, String command, StringBuilder printed)
            throws IOException, InterruptedException {
        String t = Integer.toString(++token[0]);
        out.write((t + command + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            Line l = await(lines, x -> true, command);
            if (l.text().startsWith("~")) {
                printed.append(l.text(), 1, l.text().length());
            } else if (l.text().startsWith(t + "^")) {
                if (!l.text().startsWith(t + "^done") && !l.text().startsWith(t + "^running")) {
                    throw new IllegalStateException("gdb: " + command + ": " + l.text());
                }
                return l;
            }
        }
    }

    private static Line await(BlockingQueue<Line> lines, java.util.function.Predicate<String> wanted, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        while (true) {
            Line l = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (l == null) {
                throw new IllegalStateException("gdb: nothing for " + what + " within " + TIMEOUT_MILLIS + " ms");
            }
            if (wanted.test(l.text())) {
                return l;
            }
        }
    }
}
