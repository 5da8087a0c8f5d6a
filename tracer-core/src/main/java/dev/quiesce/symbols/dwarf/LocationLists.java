package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.List;

/** Decodes location lists: DWARF 5 {@code .debug_loclists} (section 2.6.2, 7.7.3) and DWARF 2-4 {@code .debug_loc}. */
final class LocationLists {
    static final int DW_LLE_END_OF_LIST = 0;
    static final int DW_LLE_BASE_ADDRESSX = 1;
    static final int DW_LLE_STARTX_ENDX = 2;
    static final int DW_LLE_STARTX_LENGTH = 3;
    static final int DW_LLE_OFFSET_PAIR = 4;
    static final int DW_LLE_DEFAULT_LOCATION = 5;
    static final int DW_LLE_BASE_ADDRESS = 6;
    static final int DW_LLE_START_END = 7;
    static final int DW_LLE_START_LENGTH = 8;
    /** GNU extension: a pair of location view numbers, no expression. */
    static final int DW_LLE_GNU_VIEW_PAIR = 9;

    private LocationLists() {
    }

    static List<LocationEntry> read(Unit u, long offset) {
        return u.version() >= 5 ? readV5(u, offset) : readV4(u, offset);
    }

    private static List<LocationEntry> readV5(Unit u, long offset) {
        DwarfCursor c = new DwarfCursor(u.debugInfo().sections().loclists()).seek(offset);
        int size = u.header().addressSize();
        long base = u.baseAddress();
        List<LocationEntry> out = new ArrayList<>();
        while (true) { // each entry reads at least its kind byte: the end of .debug_loclists ends the list
            int kind = c.u8();
            switch (kind) {
                case DW_LLE_END_OF_LIST -> {
                    return out;
                }
                case DW_LLE_BASE_ADDRESSX -> base = u.indexedAddress(c.uleb());
                case DW_LLE_STARTX_ENDX -> {
                    long start = u.indexedAddress(c.uleb());
                    long end = u.indexedAddress(c.uleb());
                    out.add(new LocationEntry(start, end, expr(c), false));
                }
                case DW_LLE_STARTX_LENGTH -> {
                    long start = u.indexedAddress(c.uleb());
                    long end = start + c.uleb();
                    out.add(new LocationEntry(start, end, expr(c), false));
                }
                case DW_LLE_OFFSET_PAIR -> {
                    long start = base + c.uleb();
                    long end = base + c.uleb();
                    out.add(new LocationEntry(start, end, expr(c), false));
                }
                case DW_LLE_DEFAULT_LOCATION -> out.add(new LocationEntry(0, 0, expr(c), true));
                case DW_LLE_BASE_ADDRESS -> base = c.unsigned(size);
                case DW_LLE_START_END -> {
                    long start = c.unsigned(size);
                    long end = c.unsigned(size);
                    out.add(new LocationEntry(start, end, expr(c), false));
                }
                case DW_LLE_START_LENGTH -> {
                    long start = c.unsigned(size);
                    long end = start + c.uleb();
                    out.add(new LocationEntry(start, end, expr(c), false));
                }
                case DW_LLE_GNU_VIEW_PAIR -> {
                    c.uleb();
                    c.uleb();
                }
                default -> throw new DwarfException("unknown location list entry kind " + kind);
            }
        }
    }

    private static byte[] expr(DwarfCursor c) {
        return c.bytes((int) c.uleb());
    }

    private static List<LocationEntry> readV4(Unit u, long offset) {
        DwarfCursor c = new DwarfCursor(u.debugInfo().sections().loc()).seek(offset);
        int size = u.header().addressSize();
        long maxAddress = size == 8 ? -1L : (1L << (size * 8)) - 1;
        long base = u.baseAddress();
        List<LocationEntry> out = new ArrayList<>();
        while (true) { // each entry reads two addresses: the end of .debug_loc ends the list
            long start = c.unsigned(size);
            long end = c.unsigned(size);
            if (start == 0 && end == 0) {
                return out;
            }
            if (start == maxAddress) {
                base = end;
                continue;
            }
            byte[] e = c.bytes(c.u16());
            out.add(new LocationEntry(base + start, base + end, e, false));
        }
    }
}
