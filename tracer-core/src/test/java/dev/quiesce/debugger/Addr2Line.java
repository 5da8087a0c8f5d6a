package dev.quiesce.debugger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** {@code addr2line -i -f}: the inline chain at an address, as the second oracle for call lines. */
final class Addr2Line {
    private Addr2Line() {
    }

    /** The line addr2line gives for {@code function} in the chain at a link-time address. */
    static int callerLine(Path binary, long address, String function) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("addr2line", "-i", "-f", "-C", "-e", binary.toString(), "0x" + Long.toHexString(address))
                .redirectErrorStream(true).start();
        String[] lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).split("\n");
        p.waitFor(30, TimeUnit.SECONDS);
        for (int i = 0; i + 1 < lines.length; i += 2) {
            if (lines[i].equals(function) || lines[i].startsWith(function + "(")) {
                String location = lines[i + 1].replaceFirst(" \\(discriminator \\d+\\)$", "");
                return Integer.parseInt(location.substring(location.lastIndexOf(':') + 1));
            }
        }
        throw new IOException("addr2line has no " + function + " at 0x" + Long.toHexString(address) + ": " + String.join(" | ", lines));
    }
}
