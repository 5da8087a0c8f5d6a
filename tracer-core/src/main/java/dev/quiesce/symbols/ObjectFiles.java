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
