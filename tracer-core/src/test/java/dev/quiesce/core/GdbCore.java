package dev.quiesce.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What gdb 13 reads from the same core: the oracle for {@link CoreFileTest}. */
final class GdbCore {
    record Frame(String function, String file, int line) {
    }

    /** Per thread (by LWP): rip, rsp, xmm0 (as gdb's uint128 hex), the backtrace. */
    record Thread(int lwp, long rip, long rsp, String xmm0, List<Frame> frames) {
    }

    private static final Pattern THREAD = Pattern.compile("^Thread \\d+ \\(.*LWP (\\d+)\\)\\):");
    private static final Pattern REGISTER = Pattern.compile("^(rip|rsp)\\s+(0x[0-9a-f]+)");
    private static final Pattern XMM = Pattern.compile("^\\$\\d+ = (0x[0-9a-f]+)$");
    private static final Pattern FRAME = Pattern.compile(
            "^#\\d+\\s+(?:0x[0-9a-f]+ in )?(\\S+)(?: \\(.*?\\))?(?: at (\\S+):(\\d+))?(?: from \\S+)?\\s*$");
    private static final Pattern VALUE = Pattern.compile("^\\$\\d+ = (.*)$");

    final Map<Integer, Thread> threads = new LinkedHashMap<>();
    final List<String> values = new ArrayList<>();

    /** Runs gdb on the core; {@code expressions} are printed in the first thread's frame 1 (level1). */
    static GdbCore read(Path program, Path core, String... expressions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set print frame-arguments none",
                "-ex", "thread apply all -- info registers rip rsp",
                "-ex", "thread apply all -- p/x $xmm0.uint128",
                "-ex", "thread apply all bt", "-ex", "echo VALUES\\n", "-ex", "thread 1", "-ex", "frame 1"));
        for (String e : expressions) {
            command.addAll(List.of("-ex", "print " + e));
        }
        command.addAll(List.of(program.toString(), core.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gdb did not finish");
        }
        GdbCore g = new GdbCore();
        g.parse(out);
        if (g.threads.isEmpty()) {
            throw new IOException("gdb read no thread:\n" + out);
        }
        return g;
    }

    private void parse(String out) {
        int lwp = -1;
        boolean values = false;
        Map<Integer, long[]> regs = new LinkedHashMap<>();
        Map<Integer, String> xmm = new LinkedHashMap<>();
        Map<Integer, List<Frame>> frames = new LinkedHashMap<>();
        int pass = 0; // the three "thread apply all" passes come one after another
        Map<Integer, Integer> seen = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            if (line.equals("VALUES")) {
                values = true;
                continue;
            }
            if (values) {
                Matcher v = VALUE.matcher(line);
                if (v.matches()) {
                    this.values.add(v.group(1));
                }
                continue;
            }
            Matcher t = THREAD.matcher(line);
            if (t.find()) {
                lwp = Integer.parseInt(t.group(1));
                pass = seen.merge(lwp, 1, Integer::sum);
                continue;
            }
            if (lwp < 0) {
                continue;
            }
            Matcher r = REGISTER.matcher(line);
            Matcher x = XMM.matcher(line);
            Matcher f = FRAME.matcher(line);
            if (pass == 1 && r.find()) {
                regs.computeIfAbsent(lwp, k -> new long[2])[r.group(1).equals("rip") ? 0 : 1] = Long.parseUnsignedLong(r.group(2).substring(2), 16);
            } else if (pass == 2 && x.matches()) {
                xmm.put(lwp, x.group(1));
            } else if (pass == 3 && f.matches()) {
                frames.computeIfAbsent(lwp, k -> new ArrayList<>())
                        .add(new Frame(f.group(1), f.group(2), f.group(3) == null ? 0 : Integer.parseInt(f.group(3))));
            }
        }
        for (Map.Entry<Integer, long[]> e : regs.entrySet()) {
            threads.put(e.getKey(), new Thread(e.getKey(), e.getValue()[0], e.getValue()[1], xmm.get(e.getKey()),
                    frames.getOrDefault(e.getKey(), List.of())));
        }
    }
}
