package dev.quiesce.linux;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the executables the native module builds: the system property {@code quiesce.native.dir}
 * (set by bin/quiesce and by the test configuration), else the environment variable
 * {@code QUIESCE_NATIVE_DIR}.
 */
public final class NativeFiles {
    private NativeFiles() {
    }

    public static Path directory() {
        String dir = System.getProperty("quiesce.native.dir", System.getenv("QUIESCE_NATIVE_DIR"));
        if (dir == null || dir.isBlank()) {
            throw new IllegalStateException(
                    "quiesce.native.dir is not set: run Quiesce through bin/quiesce, or pass -Dquiesce.native.dir=<repo>/native/target");
        }
        return Path.of(dir);
    }

    public static Path launcher() {
        return existing(directory().resolve("quiesce-launcher"));
    }

    private static Path existing(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: build the native module first (mvn package)");
        }
        return path;
    }
}
