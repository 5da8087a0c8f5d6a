package dev.quiesce.symbols.dwarf;

import dev.quiesce.symbols.elf.ElfFile;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The DWARF sections of one ELF file (the program, a library, or its separate debug file),
 * decompressed; a missing section is an empty buffer. {@code .eh_frame} comes with its link-time
 * address because its pointers may be pc-relative.
 */
public record DwarfSections(ByteBuffer info, ByteBuffer abbrev, ByteBuffer str, ByteBuffer lineStr,
                            ByteBuffer strOffsets, ByteBuffer addr, ByteBuffer rnglists, ByteBuffer ranges,
                            ByteBuffer loclists, ByteBuffer loc, ByteBuffer line, ByteBuffer frame,
                            ByteBuffer names, ByteBuffer gdbIndex) {

    public static DwarfSections of(ElfFile elf) {
        return new DwarfSections(get(elf, ".debug_info"), get(elf, ".debug_abbrev"), get(elf, ".debug_str"),
                get(elf, ".debug_line_str"), get(elf, ".debug_str_offsets"), get(elf, ".debug_addr"),
                get(elf, ".debug_rnglists"), get(elf, ".debug_ranges"), get(elf, ".debug_loclists"),
                get(elf, ".debug_loc"), get(elf, ".debug_line"), get(elf, ".debug_frame"),
                get(elf, ".debug_names"), get(elf, ".gdb_index"));
    }

    private static ByteBuffer get(ElfFile elf, String name) {
        Optional<ByteBuffer> data = elf.data(name);
        return data.orElseGet(() -> ByteBuffer.allocate(0));
    }

    public boolean hasDebugInfo() {
        return info.limit() > 0;
    }
}
