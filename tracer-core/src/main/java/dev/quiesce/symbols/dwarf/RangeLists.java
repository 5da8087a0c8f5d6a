package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the value of DW_AT_ranges: a DWARF 5 range list in {@code .debug_rnglists} (section
 * 2.17.3, encodings in 7.25) or a DWARF 2-4 list of address pairs in {@code .debug_ranges}.
 */
final class RangeLists {
    static final int DW_RLE_END_OF_LIST = 0;
    static final int DW_RLE_BASE_ADDRESSX = 1;
    static final int DW_RLE_STARTX_ENDX = 2;
    static final int DW_RLE_STARTX_LENGTH = 3;
    static final int DW_RLE_OFFSET_PAIR = 4;
    static final int DW_RLE_BASE_ADDRESS = 5;
    static final int DW_RLE_START_END = 6;
    static final int DW_RLE_START_LENGTH = 7;

    private RangeLists() {
    }

    /** {@code value} is a section offset (DW_FORM_sec_offset) or, for rnglistx, an index. */
    static List<AddressRange> read(Unit u, int form, long value) {
        if (form == DwForm.RNGLISTX) {
            return readV5(u, u.listOffset(u.rnglistsBase(), u.debugInfo().sections().rnglists(), value));
        }
        return u.version() >= 5 ? readV5(u, value) : readV4(u, value);
    }

    static List<AddressRange> readV5(Unit u, long offset) {
        DwarfCursor c = new DwarfCursor(u.debugInfo().sections().rnglists()).seek(offset);
        int size = u.header().addressSize();
        long base = u.baseAddress();
        List<AddressRange> out = new ArrayList<>();
        while (true) { // each entry reads at least its kind byte: the end of .debug_rnglists ends the list
            int kind = c.u8();
            switch (kind) {
                case DW_RLE_END_OF_LIST -> {
                    return out;
                }
                case DW_RLE_BASE_ADDRESSX -> base = u.indexedAddress(c.uleb());
                case DW_RLE_STARTX_ENDX -> add(out, u.indexedAddress(c.uleb()), u.indexedAddress(c.uleb()));
                case DW_RLE_STARTX_LENGTH -> {
                    long start = u.indexedAddress(c.uleb());
                    add(out, start, start + c.uleb());
                }
                case DW_RLE_OFFSET_PAIR -> {
                    long start = c.uleb();
                    long end = c.uleb();
                    add(out, base + start, base + end);
                }
                case DW_RLE_BASE_ADDRESS -> base = c.unsigned(size);
                case DW_RLE_START_END -> add(out, c.unsigned(size), c.unsigned(size));
                case DW_RLE_START_LENGTH -> {
                    long start = c.unsigned(size);
                    add(out, start, start + c.uleb());
                }
                default -> throw new DwarfException("unknown range list entry kind " + kind + " at 0x"
                        + Integer.toHexString(c.position() - 1));
            }
        }
    }

    /** DWARF 4 section 2.17.3: (0, 0) ends the list; (max address, X) selects base address X. */
    static List<AddressRange> readV4(Unit u, long offset) {
        DwarfCursor c = new DwarfCursor(u.debugInfo().sections().ranges()).seek(offset);
        int size = u.header().addressSize();
        long maxAddress = size == 8 ? -1L : (1L << (size * 8)) - 1;
        long base = u.baseAddress();
        List<AddressRange> out = new ArrayList<>();
        while (true) { // each entry reads two addresses: the end of .debug_ranges ends the list
            long start = c.unsigned(size);
            long end = c.unsigned(size);
            if (start == 0 && end == 0) {
                return out;
            }
            if (start == maxAddress) {
                base = end;
            } else {
                add(out, base + start, base + end);
            }
        }
    }

    private static void add(List<AddressRange> out, long low, long high) {
        if (high != low) {
            out.add(new AddressRange(low, high));
        }
    }
}
