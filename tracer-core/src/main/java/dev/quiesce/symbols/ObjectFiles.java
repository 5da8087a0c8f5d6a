package dev.quiesce.symbols;

import dev.quiesce.symbols.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Opened ELF files, shared by every process and session: libc is parsed once however many
 * programs use it. A file is reopened when its size or modification time changes (rebuilt).
 */
public final class ObjectFiles {
    private static final ObjectFiles SHARED = new ObjectFiles();

    private record Key(Path path, long size, long modified) {
        // Written out, like LoadedModule's: a record's generated equals and hashCode link an
        // invokedynamic call site (ObjectMethods' method-handle tree) at their first call, which
        // cost the launch 8-18 ms of CPU on its way to the first stop (issue 19, profiled).
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.size == size && k.modified == modified && k.path.equals(path);
        }

        @Override
        public int hashCode() {
            return (path.hashCode() * 31 + Long.hashCode(size)) * 31 + Long.hashCode(modified);
        }
    }

    private final Map<Key, ElfFile> files = new ConcurrentHashMap<>();

    public static ObjectFiles shared() {
        return SHARED;
    }

    public ElfFile open(Path path) {
        Path real;
        long size;
        long modified;
        try {
            real = path.toRealPath();
            size = Files.size(real);
            modified = Files.getLastModifiedTime(real).toMillis();
        } catch (IOException e) {
            throw new dev.quiesce.symbols.elf.ElfException("cannot open " + path + ": " + e.getMessage(), e);
        }
        return files.computeIfAbsent(new Key(real, size, modified), k -> ElfFile.open(k.path()));
    }
}
