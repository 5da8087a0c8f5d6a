package dev.quiesce.disasm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.linux.JnaSetup;
import org.junit.jupiter.api.Test;

/** initialize's disassembly capability comes from a look at the library folders, not from a load. */
class CapstoneInstalledTest {
    @Test
    void theLibraryIsFoundInTheFoldersJnaLoadsFrom() {
        JnaSetup.configure();
        assertTrue(Capstone.inLibraryFolders(), "libcapstone.so.4 in none of " + System.getProperty("jna.platform.library.path"));
        assertTrue(Capstone.installed());
        assertTrue(Capstone.available(), "the file found is a library that loads");
    }
}
