package dev.quiesce.symbols.elf;

/** One section header of an ELF64 file. */
public record ElfSection(int index, String name, int type, long flags, long address, long offset, long size,
                         int link, int info, long alignment, long entrySize) {
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_DYNSYM = 11;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;
    public static final long SHF_COMPRESSED = 0x800;

    public boolean compressed() {
        return (flags & SHF_COMPRESSED) != 0;
    }

    public boolean hasData() {
        return type != SHT_NOBITS;
    }
}
