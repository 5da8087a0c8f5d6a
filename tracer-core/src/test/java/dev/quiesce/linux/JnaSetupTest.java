package dev.quiesce.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** JnaSetup points JNA at this machine's libraries and at the build's copy of its native part. */
class JnaSetupTest {
    private static final String[] KEYS = {"jna.platform.library.path", "jna.boot.library.path"};
    private final String[] saved = new String[KEYS.length];

    @BeforeEach
    void clear() {
        for (int i = 0; i < KEYS.length; i++) {
            saved[i] = System.getProperty(KEYS[i]);
            System.clearProperty(KEYS[i]);
        }
    }

    @AfterEach
    void restore() {
        for (int i = 0; i < KEYS.length; i++) {
            if (saved[i] == null) {
                System.clearProperty(KEYS[i]);
            } else {
                System.setProperty(KEYS[i], saved[i]);
            }
        }
    }

    /** The folders listed hold the libraries Quiesce loads by name (without them JNA would run ldconfig -p to find them). */
    @Test
    void theLibraryFoldersHoldLibcAndCapstone() {
        JnaSetup.configure();
        String[] folders = System.getProperty("jna.platform.library.path").split(File.pathSeparator);
        for (String lib : new String[] {"libc.so.6", "libcapstone.so.4"}) {
            assertTrue(Arrays.stream(folders).anyMatch(f -> Files.isRegularFile(Path.of(f, lib))),
                    lib + " in none of " + Arrays.toString(folders));
        }
    }

    /** The native module's build put JNA's libjnidispatch.so where JnaSetup looks (native/target, the tests' quiesce.native.dir). */
    @Test
    void theBuildsDispatchLibraryIsUsed() {
        JnaSetup.configure();
        Path boot = Path.of(System.getProperty("jna.boot.library.path", "(unset)"));
        assertTrue(Files.isRegularFile(boot.resolve("libjnidispatch.so")), "no libjnidispatch.so in " + boot);
        assertTrue(boot.startsWith(NativeFiles.directory()), boot + " is not under " + NativeFiles.directory());
    }

    @Test
    void aPropertyTheUserSetWins() {
        System.setProperty("jna.platform.library.path", "/opt/mine");
        System.setProperty("jna.boot.library.path", "/opt/jna");
        JnaSetup.configure();
        assertEquals("/opt/mine", System.getProperty("jna.platform.library.path"));
        assertEquals("/opt/jna", System.getProperty("jna.boot.library.path"));
    }
}
