package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.elf.ElfFile;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Opens each ELF file once, by path; files that are not ELF are remembered as such. */
public final class ElfCache {
    private static final ElfCache SHARED = new ElfCache();
    private final Map<Path, Optional<ElfFile>> files = new ConcurrentHashMap<>();
    private final Map<Path, ModuleCfi> cfi = new ConcurrentHashMap<>();

    public static ElfCache shared() {
        return SHARED;
    }

    public Optional<ElfFile> open(Path path) {
        return files.computeIfAbsent(path, p -> {
            try {
                return Optional.of(dev.quiesce.symbols.ObjectFiles.shared().open(p)); // one mapping per file, shared with the symbols
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        });
    }

    /** The CFI of a file, built once per path. */
    public ModuleCfi cfi(ElfFile elf) {
        return cfi.computeIfAbsent(elf.path(), p -> ModuleCfi.of(elf));
    }
}
