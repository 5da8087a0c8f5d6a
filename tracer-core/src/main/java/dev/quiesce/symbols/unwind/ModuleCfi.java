package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ElfSection;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The call frame information of one ELF module, in the order an unwinder should consult it:
 * .eh_frame (searched through .eh_frame_hdr), then .debug_frame of the file, then .debug_frame
 * of its separate debug file. Tables are built on first use. Pcs are link-time addresses.
 */
public final class ModuleCfi {
    private final List<CallFrameTable> tables;

    public ModuleCfi(List<CallFrameTable> tables) {
        this.tables = List.copyOf(tables);
    }

    public static ModuleCfi of(ElfFile elf) {
        List<CallFrameTable> tables = new ArrayList<>();
        ehFrame(elf).ifPresent(tables::add);
        debugFrame(elf).ifPresent(tables::add);
        if (tables.size() < 2 || elf.section(".debug_frame").isEmpty()) {
            elf.separateDebugFile().ifPresent(p -> {
                try {
                    debugFrame(ElfFile.open(p)).ifPresent(tables::add);
                } catch (RuntimeException e) {
                    // An unreadable debug file only costs us its CFI.
                }
            });
        }
        return new ModuleCfi(tables);
    }

    public List<CallFrameTable> tables() {
        return tables;
    }

    /** Rows already computed, by pc: breakpoints, step exits and stacks come back to the same pcs. */
    private final java.util.Map<Long, Optional<UnwindRow>> rows = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_CACHED_ROWS = 4096;

    public Optional<UnwindRow> rowFor(long pc) {
        Optional<UnwindRow> cached = rows.get(pc);
        if (cached != null) {
            return cached;
        }
        Optional<UnwindRow> row = compute(pc);
        if (rows.size() >= MAX_CACHED_ROWS) {
            rows.clear();
        }
        rows.put(pc, row);
        return row;
    }

    private Optional<UnwindRow> compute(long pc) {
        for (CallFrameTable t : tables) {
            Optional<UnwindRow> row = t.rowFor(pc);
            if (row.isPresent()) {
                return row;
            }
        }
        return Optional.empty();
    }

    /** The .eh_frame table of an ELF file, if it has one. */
    public static Optional<CallFrameTable> ehFrame(ElfFile elf) {
        Optional<ElfSection> eh = elf.section(".eh_frame").filter(s -> s.size() > 0 && s.hasData());
        if (eh.isEmpty()) {
            return Optional.empty();
        }
        ElfSection s = eh.get();
        FrameSection section = FrameSection.ehFrame(elf.data(s), bases(elf, s.address()));
        Optional<EhFrameHdr> hdr = elf.section(".eh_frame_hdr").filter(ElfSection::hasData)
                .flatMap(h -> EhFrameHdr.parse(elf.data(h), h.address()));
        return Optional.of(CallFrameTable.ehFrame(section, hdr, s.address()));
    }

    /** The .debug_frame table of an ELF file, if it has one. */
    public static Optional<CallFrameTable> debugFrame(ElfFile elf) {
        return elf.section(".debug_frame").filter(s -> s.size() > 0 && s.hasData())
                .map(s -> CallFrameTable.debugFrame(FrameSection.debugFrame(elf.data(s), bases(elf, 0))));
    }

    private static PointerEncoding.Bases bases(ElfFile elf, long sectionAddress) {
        long text = elf.section(".text").map(ElfSection::address).orElse(0L);
        long got = elf.section(".got").map(ElfSection::address).orElse(0L);
        return new PointerEncoding.Bases(sectionAddress, text, got, 0, address -> readPointer(elf, address));
    }

    /** An 8-byte pointer at a link-time address of the file (DW_EH_PE_indirect); 0 if not in the file. */
    private static long readPointer(ElfFile elf, long address) {
        for (ElfSection s : elf.sections()) {
            if (s.hasData() && s.address() != 0 && address >= s.address() && address + 8 <= s.address() + s.size()) {
                ByteBuffer b = elf.data(s);
                return b.getLong((int) (address - s.address()));
            }
        }
        return 0;
    }
}
