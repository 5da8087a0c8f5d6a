package dev.quiesce.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.quiesce.engine.TestPrograms;
import dev.quiesce.symbols.elf.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hand-written equals/hashCode of LoadedModule and ObjectFiles' key keep the records' meaning. */
class IdentityTest {
    @Test
    void loadedModulesAreEqualExactlyWhenEveryComponentIs() {
        ElfFile elf = ObjectFiles.shared().open(TestPrograms.path("hello"));
        ElfFile other = ObjectFiles.shared().open(TestPrograms.path("threads"));
        LoadedModule m = new LoadedModule("/a/hello", elf, 0x1000, 0x2000, 0x3000, LoadedModule.Kind.PROGRAM);
        LoadedModule same = new LoadedModule("/a/hello", elf, 0x1000, 0x2000, 0x3000, LoadedModule.Kind.PROGRAM);
        assertEquals(m, same);
        assertEquals(m.hashCode(), same.hashCode());
        assertNotEquals(m, new LoadedModule("/b/hello", elf, 0x1000, 0x2000, 0x3000, LoadedModule.Kind.PROGRAM));
        assertNotEquals(m, new LoadedModule("/a/hello", other, 0x1000, 0x2000, 0x3000, LoadedModule.Kind.PROGRAM));
        assertNotEquals(m, new LoadedModule("/a/hello", elf, 0x1001, 0x2000, 0x3000, LoadedModule.Kind.PROGRAM));
        assertNotEquals(m, new LoadedModule("/a/hello", elf, 0x1000, 0x2001, 0x3000, LoadedModule.Kind.PROGRAM));
        assertNotEquals(m, new LoadedModule("/a/hello", elf, 0x1000, 0x2000, 0x3001, LoadedModule.Kind.PROGRAM));
        assertNotEquals(m, new LoadedModule("/a/hello", elf, 0x1000, 0x2000, 0x3000, LoadedModule.Kind.LIBRARY));
        assertNotEquals(m, null);
    }

    @Test
    void anObjectFileIsReopenedWhenItChangesAndSharedWhileItDoesNot(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("hello");
        Files.copy(TestPrograms.path("hello"), copy, StandardCopyOption.REPLACE_EXISTING);
        ElfFile first = ObjectFiles.shared().open(copy);
        assertSame(first, ObjectFiles.shared().open(copy));
        assertSame(first, ObjectFiles.shared().open(dir.resolve(".").resolve("hello")), "the same file by another path");
        Files.setLastModifiedTime(copy, FileTime.fromMillis(Files.getLastModifiedTime(copy).toMillis() + 5000));
        assertNotSame(first, ObjectFiles.shared().open(copy), "rebuilt: opened again");
    }
}
