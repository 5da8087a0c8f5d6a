package dev.quiesce.symbols;

import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ProgramHeader;

/**
 * An ELF object mapped into a process: the program, a shared library or the dynamic linker.
 * {@code bias} is what to add to a link-time address to get the run-time one (0 for a non-PIE
 * program); [start, end) covers its PT_LOAD segments at run time.
 */
public record LoadedModule(String path, ElfFile elf, long bias, long start, long end, Kind kind) {
    public enum Kind { PROGRAM, LIBRARY, DYNAMIC_LINKER }

    public static LoadedModule of(String path, ElfFile elf, long bias, Kind kind) {
        long low = Long.MAX_VALUE;
        long high = 0;
        for (ProgramHeader ph : elf.programHeaders()) {
            if (ph.type() == ProgramHeader.PT_LOAD) {
                low = Math.min(low, ph.vaddr());
                high = Math.max(high, ph.vaddr() + ph.memSize());
            }
        }
        if (low == Long.MAX_VALUE) {
            low = 0;
        }
        return new LoadedModule(path, elf, bias, low + bias, high + bias, kind);
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }

    /** The link-time address (as in the ELF and DWARF) of a run-time address. */
    public long toLinkTime(long runtime) {
        return runtime - bias;
    }

    public long toRuntime(long linkTime) {
        return linkTime + bias;
    }

    // equals and hashCode written out: the record's generated ones link an invokedynamic call
    // site at their first call, several ms of CPU on the way to the first stop (issue 19).
    @Override
    public boolean equals(Object o) {
        return o instanceof LoadedModule m && m.bias == bias && m.start == start && m.end == end
                && m.kind == kind && m.elf == elf && m.path.equals(path);
    }

    @Override
    public int hashCode() {
        return (path.hashCode() * 31 + Long.hashCode(bias)) * 31 + Long.hashCode(start);
    }

    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
