package dev.quiesce.symbols.dwarf;

/**
 * The header of one unit of {@code .debug_info} (DWARF 5 section 7.5.1; versions 2 to 4 put the
 * abbreviation offset before the address size and have no unit type). {@code firstDieOffset} and
 * {@code endOffset} are section offsets; {@code typeSignature}/{@code typeOffset} are set for type
 * units, {@code dwoId} for skeleton and split units.
 */
public record UnitHeader(long offset, boolean dwarf64, int version, int unitType, long abbrevOffset,
                         int addressSize, long typeSignature, long typeOffset, long dwoId,
                         long firstDieOffset, long endOffset) {
    public static final int DW_UT_COMPILE = 1;
    public static final int DW_UT_TYPE = 2;
    public static final int DW_UT_PARTIAL = 3;
    public static final int DW_UT_SKELETON = 4;
    public static final int DW_UT_SPLIT_COMPILE = 5;
    public static final int DW_UT_SPLIT_TYPE = 6;

    /** Reads the header at the cursor; the cursor ends at the first DIE. */
    public static UnitHeader read(DwarfCursor c) {
        long offset = c.position();
        long length = c.initialLength();
        boolean dwarf64 = c.lastWasDwarf64();
        long end = c.position() + length;
        if (end > c.limit()) {
            throw new DwarfException("unit at 0x" + Long.toHexString(offset) + " runs past .debug_info");
        }
        int version = c.u16();
        if (version < 2 || version > 5) {
            throw new DwarfException("unit at 0x" + Long.toHexString(offset) + " has unsupported version " + version);
        }
        int unitType = DW_UT_COMPILE;
        long abbrevOffset;
        int addressSize;
        long signature = 0;
        long typeOffset = 0;
        long dwoId = 0;
        if (version >= 5) {
            unitType = c.u8();
            addressSize = c.u8();
            abbrevOffset = c.offset(dwarf64);
            switch (unitType) {
                case DW_UT_SKELETON, DW_UT_SPLIT_COMPILE -> dwoId = c.u64();
                case DW_UT_TYPE, DW_UT_SPLIT_TYPE -> {
                    signature = c.u64();
                    typeOffset = offset + c.offset(dwarf64);
                }
                default -> {
                }
            }
        } else {
            abbrevOffset = c.offset(dwarf64);
            addressSize = c.u8();
        }
        return new UnitHeader(offset, dwarf64, version, unitType, abbrevOffset, addressSize, signature,
                typeOffset, dwoId, c.position(), end);
    }

    public int offsetSize() {
        return dwarf64 ? 8 : 4;
    }

    public boolean isTypeUnit() {
        return unitType == DW_UT_TYPE || unitType == DW_UT_SPLIT_TYPE;
    }

    public boolean contains(long sectionOffset) {
        return sectionOffset >= offset && sectionOffset < endOffset;
    }
}
