package dev.quiesce.symbols.unwind;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The oracle for real backtraces: gdb's physical frames (inline and tail-call frames, which it
 * synthesizes from DWARF, left out) at a breakpoint, as (pc, function name). gdb disables ASLR
 * as our launcher does, so pcs are comparable too.
 */
final class GdbFrames {
    record GdbFrame(long pc, String name) {
    }

    private GdbFrames() {
    }

    static List<GdbFrame> at(Path program, String breakpoint, String... args) throws Exception {
        Path script = Files.createTempFile("quiesce-bt", ".py");
        Files.writeString(script, String.join("\n",
                "import gdb",
                "f = gdb.newest_frame()",
                "while f is not None:",
                "    if f.type() not in (gdb.INLINE_FRAME, gdb.TAILCALL_FRAME):",
                "        print('FRAME %x %s' % (f.pc(), f.name()))",
                "    f = f.older()",
                ""));
        List<String> cmd = new ArrayList<>(List.of("gdb", "-nx", "-batch", "-ex", "set backtrace past-main on",
                "-ex", "handle SIGUSR1 nostop noprint pass", "-ex", "break " + breakpoint, "-ex", "run",
                "-ex", "source " + script, "--args", program.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Files.deleteIfExists(script);
        List<GdbFrame> frames = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("FRAME ")) {
                String[] f = line.split(" ");
                frames.add(new GdbFrame(Long.parseUnsignedLong(f[1], 16), f[2]));
            }
        }
        if (frames.isEmpty()) {
            throw new IllegalStateException("gdb gave no frames:\n" + out);
        }
        return frames;
    }
}
