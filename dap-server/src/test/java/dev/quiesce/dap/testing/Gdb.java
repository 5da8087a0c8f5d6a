package dev.quiesce.dap.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** gdb 13 as the oracle of a DAP test: one {@code gdb -batch} session with commands, run in a directory. */
public final class Gdb {
    private static final Pattern VALUE = Pattern.compile("^\\$\\d+ = (.*)$");

    private Gdb() {
    }

    /** Everything gdb prints for {@code commands} on {@code program args...}, run in {@code cwd}. */
    public static String run(Path cwd, Path program, List<String> args, String... commands) throws IOException, InterruptedException {
        return run(List.of("gdb", "-nx"), cwd, program, args, commands);
    }

    /** As {@link #run(Path, Path, List, String...)} with another gdb: {@code rust-gdb} (its wrapper loads the Rust printers). */
    public static String run(List<String> gdb, Path cwd, Path program, List<String> args, String... commands)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(gdb);
        cmd.add("-batch");
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        cmd.add("--args");
        cmd.add(program.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
        Path dir = Path.of(gdb.get(0)).getParent();
        if (dir != null) { // rust-gdb asks the rustc beside it for the sysroot of its printers
            pb.environment().put("PATH", dir + java.io.File.pathSeparator + pb.environment().getOrDefault("PATH", ""));
        }
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("gdb did not finish");
        }
        return out;
    }

    /** The values of gdb's {@code print} commands ({@code $1 = ...} lines), in order. */
    public static List<String> printed(String output) {
        List<String> out = new ArrayList<>();
        for (String line : output.split("\n")) {
            Matcher m = VALUE.matcher(line);
            if (m.matches()) {
                out.add(m.group(1));
            }
        }
        return out;
    }
}
