package dev.quiesce.engine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Symbol addresses from binutils' nm, the test oracle until the symbols layer exists.
 * The programs it is used on are built -no-pie, so these are run-time addresses.
 */
public final class Nm {
    private Nm() {
    }

    public static long address(Path binary, String symbol) {
        try {
            Process nm = new ProcessBuilder("nm", binary.toString()).redirectErrorStream(true).start();
            String out = new String(nm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            nm.waitFor();
            for (String line : out.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 3 && parts[2].equals(symbol)) {
                    return Long.parseUnsignedLong(parts[0], 16);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run nm", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IllegalStateException(symbol + " not found in " + binary);
    }
}
