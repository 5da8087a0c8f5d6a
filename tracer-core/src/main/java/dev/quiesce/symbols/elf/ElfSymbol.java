package dev.quiesce.symbols.elf;

/** An entry of {@code .symtab} or {@code .dynsym}; {@code value} is the link-time address. */
public record ElfSymbol(String name, long value, long size, int type, int binding, int sectionIndex) {
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_GNU_IFUNC = 10;
    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;
    public static final int SHN_UNDEF = 0;

    public boolean isFunction() {
        return type == STT_FUNC || type == STT_GNU_IFUNC;
    }

    public boolean isDefined() {
        return sectionIndex != SHN_UNDEF;
    }

    public boolean contains(long address) {
        return address >= value && (address < value + size || (size == 0 && address == value));
    }
}
