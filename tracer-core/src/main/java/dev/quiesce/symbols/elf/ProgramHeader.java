package dev.quiesce.symbols.elf;

/** One program header (segment) of an ELF64 file. */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long fileSize, long memSize, long alignment) {
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_GNU_EH_FRAME = 0x6474e550;
    public static final int PF_X = 1;

    public boolean executable() {
        return (flags & PF_X) != 0;
    }

    public boolean contains(long address) {
        return address >= vaddr && address < vaddr + memSize;
    }
}
