package dev.quiesce.symbols.unwind;

import dev.quiesce.linux.ProcFs;
import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ProgramHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The ELF modules of a process, from /proc/PID/maps: one per mapped file, with its load bias,
 * plus the vDSO (its image is read from the process's memory). {@link #refresh()} re-reads the
 * maps after a dlopen/dlclose. Files are opened through an {@link ElfCache}.
 */
public final class ProcessModules implements ModuleLookup {
    private final int pid;
    private final ElfCache cache;
    private final MemoryReader memory;
    private volatile List<Module> modules = List.of();

    /** {@code memory} reads the process (for the vDSO); may be null to leave the vDSO out. */
    public ProcessModules(int pid, ElfCache cache, MemoryReader memory) {
        this.pid = pid;
        this.cache = cache;
        this.memory = memory;
        refresh();
    }

    public List<Module> modules() {
        return modules;
    }

    @Override
    public Optional<Module> moduleAt(long address) {
        for (Module m : modules) {
            if (m.contains(address)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** Re-reads /proc/PID/maps. */
    public void refresh() {
        Map<String, List<ProcFs.Mapping>> byPath = new LinkedHashMap<>();
        for (ProcFs.Mapping m : ProcFs.maps(pid)) {
            if (m.path().startsWith("/") || m.path().equals("[vdso]")) {
                byPath.computeIfAbsent(m.path(), k -> new ArrayList<>()).add(m);
            }
        }
        List<Module> out = new ArrayList<>();
        for (Map.Entry<String, List<ProcFs.Mapping>> e : byPath.entrySet()) {
            List<ProcFs.Mapping> maps = e.getValue();
            long start = maps.get(0).start();
            long end = maps.get(maps.size() - 1).end();
            Optional<ElfFile> elf = e.getKey().equals("[vdso]") ? vdso(maps.get(0)) : cache.open(Path.of(e.getKey()));
            if (elf.isEmpty()) {
                continue;
            }
            ElfFile f = elf.get();
            OptionalBias bias = bias(f, maps);
            if (bias == null) {
                continue;
            }
            out.add(new Module(e.getKey(), start, end, bias.value, f, () -> cache.cfi(f)));
        }
        modules = List.copyOf(out);
    }

    private record OptionalBias(long value) {
    }

    /**
     * Load bias = where the file's offset 0 is mapped minus the first PT_LOAD's page-aligned vaddr;
     * if offset 0 is not mapped, from any mapping whose offset matches a PT_LOAD's.
     */
    private static OptionalBias bias(ElfFile elf, List<ProcFs.Mapping> maps) {
        for (ProcFs.Mapping m : maps) {
            if (m.offset() == 0) {
                return new OptionalBias(m.start() - elf.firstLoadAddress());
            }
        }
        for (ProcFs.Mapping m : maps) {
            for (ProgramHeader ph : elf.programHeaders()) {
                if (ph.type() == ProgramHeader.PT_LOAD && (ph.offset() & ~0xfffL) == m.offset()) {
                    return new OptionalBias(m.start() - (ph.vaddr() & ~0xfffL));
                }
            }
        }
        return null;
    }

    /** The vDSO image, copied out of the process into a temporary file that ElfFile can map. */
    private Optional<ElfFile> vdso(ProcFs.Mapping m) {
        if (memory == null) {
            return Optional.empty();
        }
        try {
            byte[] image = new byte[(int) (m.end() - m.start())];
            if (memory.read(m.start(), image) < image.length) {
                return Optional.empty();
            }
            Path tmp = Files.createTempFile("quiesce-vdso-", ".so");
            tmp.toFile().deleteOnExit();
            Files.write(tmp, image);
            return Optional.of(ElfFile.open(tmp));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
