package dev.quiesce.values;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.dwarf.DwarfException;
import dev.quiesce.symbols.elf.ProgramHeader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each module's thread-local block lies for one thread, on x86-64 (TLS variant II): the
 * thread pointer is {@code fs_base}, and a module loaded at startup has its block at
 * {@code fs_base - l_tls_offset}. The offsets are glibc's static TLS layout, computed the way
 * {@code _dl_determine_tlsoffset} computes them: the modules with a PT_TLS segment in link-map
 * order (the program first), each placed below the previous one, aligned so that the block's
 * first byte keeps its p_vaddr's alignment, reusing a gap an alignment left when the block fits.
 * Modules opened later with dlopen get dynamic TLS: with the dynamic linker's debug
 * information every block is found through the thread's DTV instead ({@link DynamicTls}).
 */
final class ThreadLocals {
    static final int PT_TLS = 7;

    private final long threadPointer;
    private final Map<LoadedModule, Long> offsets = new HashMap<>();
    private final List<LoadedModule> modules;

    ThreadLocals(List<LoadedModule> linkMapOrder, long fsBase) {
        this.threadPointer = fsBase;
        this.modules = List.copyOf(linkMapOrder);
        long offset = 0;
        long freeTop = 0;
        long freeBottom = 0;
        for (LoadedModule m : linkMapOrder) {
            ProgramHeader tls = tlsSegment(m);
            if (tls == null) {
                continue;
            }
            long align = Math.max(1, tls.alignment());
            long size = tls.memSize();
            long firstByte = (-(tls.vaddr() & (align - 1))) & (align - 1);
            if (freeBottom - freeTop >= size) {
                long off = roundUp(freeTop + size - firstByte, align) + firstByte;
                if (off <= freeBottom) {
                    freeTop = off;
                    offsets.put(m, off);
                    continue;
                }
            }
            long off = roundUp(offset + size - firstByte, align) + firstByte;
            if (off > offset + size + (freeBottom - freeTop)) {
                freeTop = offset;
                freeBottom = off - size;
            }
            offset = off;
            offsets.put(m, off);
        }
    }

    private static ProgramHeader tlsSegment(LoadedModule m) {
        for (ProgramHeader ph : m.elf().programHeaders()) {
            if (ph.type() == PT_TLS) {
                return ph;
            }
        }
        return null;
    }

    private static long roundUp(long x, long align) {
        return (x + align - 1) / align * align;
    }

    /** The run-time address of the module's TLS block in this thread: static, else through the DTV ({@link DynamicTls}). */
    long blockAddress(LoadedModule m, Memory memory) {
        Long off = offsets.get(m);
        if (off == null) {
            throw new DwarfException(m.name() + " has no thread-local storage (no PT_TLS segment)");
        }
        // The DTV is right for every module, dlopen'ed ones included, when the dynamic linker's
        // debug information says where l_tls_modid is; the static layout is the answer without it.
        java.util.OptionalLong viaDtv = DynamicTls.blockAddress(memory, modules, threadPointer, m);
        return viaDtv.isPresent() ? viaDtv.getAsLong() : threadPointer - off;
    }
}
