package dev.quiesce.linux;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the executables the native module builds: the system property {@code quiesce.native.dir}
 * (set by bin/quiesce and by the test configuration), else the environment variable
 * {@code QUIESCE_NATIVE_DIR}, else the folder of the running jar (a bundled server, as the VS Code
 * extension ships it) or the repository's native/target next to dap-server/target/quiesce.jar.
 */
public final class NativeFiles {
    private NativeFiles() {
    }

    public static Path directory() {
        String dir = System.getProperty("quiesce.native.dir", System.getenv("QUIESCE_NATIVE_DIR"));
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        Path jarDir = jarDirectory();
        if (jarDir != null) {
            for (Path candidate : new Path[] {jarDir, jarDir.resolve("../../native/target").normalize()}) {
                if (Files.isRegularFile(candidate.resolve("quiesce-launcher"))) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("cannot find quiesce-launcher: put it next to quiesce.jar, run Quiesce through "
                + "bin/quiesce, or pass -Dquiesce.native.dir=<repo>/native/target");
    }

    /** The folder of the jar this class was loaded from, or null (classes from a folder: tests). */
    private static Path jarDirectory() {
        try {
            Path code = Path.of(NativeFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(code) ? code.getParent() : null;
        } catch (Exception e) {
            return null;
        }
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
