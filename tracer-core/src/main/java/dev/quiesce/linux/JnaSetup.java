package dev.quiesce.linux;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where JNA finds native code, set before its first use so a session's start does not pay for
 * JNA's defaults (issue 19). Call before any JNA class is loaded; a property the user set wins.
 * <ul>
 * <li>{@code jna.platform.library.path}: unset, JNA's {@code NativeLibrary} runs
 *     {@code /sbin/ldconfig -p} (a process, ~10 ms) to learn where libc and libcapstone live. They
 *     live in this machine's library folders, which are listed here instead.</li>
 * <li>{@code jna.boot.library.path}: unset, JNA unpacks its own {@code libjnidispatch.so} from the
 *     jar into a temporary file on every start. The native module's build puts a copy next to
 *     {@code quiesce-launcher} ({@code native/target/jna/...}; {@code server/} in the VS Code
 *     extension); when it is there, JNA loads that one.</li>
 * </ul>
 */
public final class JnaSetup {
    private static final List<String> LIBRARY_FOLDERS = List.of(
            "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib");
    private static final String DISPATCH = "libjnidispatch.so";

    private JnaSetup() {}

    public static void configure() {
        if (System.getProperty("jna.platform.library.path") == null) {
            // A loop, not a stream: this runs first in main, where a stream's first use costs ms.
            java.util.StringJoiner folders = new java.util.StringJoiner(java.io.File.pathSeparator);
            for (String f : LIBRARY_FOLDERS) {
                if (Files.isDirectory(Path.of(f))) {
                    folders.add(f);
                }
            }
            System.setProperty("jna.platform.library.path", folders.toString());
        }
        if (System.getProperty("jna.boot.library.path") == null) {
            Path dispatch = bundledDispatchFolder();
            if (dispatch != null) {
                System.setProperty("jna.boot.library.path", dispatch.toString());
            }
        }
    }

    /** The folder holding the build's copy of JNA's native library, or null (JNA unpacks its own). */
    private static Path bundledDispatchFolder() {
        Path nativeDir;
        try {
            nativeDir = NativeFiles.directory();
        } catch (IllegalStateException e) {
            return null; // reported when the launcher is needed
        }
        for (Path folder : List.of(nativeDir, nativeDir.resolve("jna/com/sun/jna/linux-x86-64"))) {
            if (Files.isRegularFile(folder.resolve(DISPATCH))) {
                return folder;
            }
        }
        return null;
    }
}
