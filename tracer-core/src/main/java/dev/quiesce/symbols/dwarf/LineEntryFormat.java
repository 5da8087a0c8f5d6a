package dev.quiesce.symbols.dwarf;

import java.nio.ByteBuffer;

/**
 * The self-describing directory and file entries of a DWARF 5 line program header
 * (DWARF 5 section 6.2.4, items 14 to 21): a list of (content type, form) pairs, then entries
 * laid out by it. Reads one entry at a time into a {@link LineFile} (directories use only the
 * path).
 */
final class LineEntryFormat {
    // Content types, DWARF 5 section 6.2.4.1 (table 7.27)
    static final int DW_LNCT_path = 0x1;
    static final int DW_LNCT_directory_index = 0x2;
    static final int DW_LNCT_timestamp = 0x3;
    static final int DW_LNCT_size = 0x4;
    static final int DW_LNCT_MD5 = 0x5;

    // The forms allowed for those content types (DWARF 5 section 7.5.6, table 7.6)
    private static final int DW_FORM_block2 = 0x03;
    private static final int DW_FORM_block4 = 0x04;
    private static final int DW_FORM_data2 = 0x05;
    private static final int DW_FORM_data4 = 0x06;
    private static final int DW_FORM_data8 = 0x07;
    private static final int DW_FORM_string = 0x08;
    private static final int DW_FORM_block = 0x09;
    private static final int DW_FORM_block1 = 0x0a;
    private static final int DW_FORM_data1 = 0x0b;
    private static final int DW_FORM_sdata = 0x0d;
    private static final int DW_FORM_strp = 0x0e;
    private static final int DW_FORM_udata = 0x0f;
    private static final int DW_FORM_data16 = 0x1e;
    private static final int DW_FORM_line_strp = 0x1f;

    private final int[] contentTypes;
    private final int[] forms;

    private LineEntryFormat(int[] contentTypes, int[] forms) {
        this.contentTypes = contentTypes;
        this.forms = forms;
    }

    /** Reads the format count (a ubyte) and the pairs that follow. */
    static LineEntryFormat read(DwarfCursor c) {
        int count = c.u8();
        int[] types = new int[count];
        int[] forms = new int[count];
        for (int i = 0; i < count; i++) {
            types[i] = (int) c.uleb();
            forms[i] = (int) c.uleb();
        }
        return new LineEntryFormat(types, forms);
    }

    /** One entry; {@code path} of the result is the name as written (not yet joined). */
    LineFile readEntry(DwarfCursor c, boolean dwarf64, ByteBuffer str, ByteBuffer lineStr) {
        String name = null;
        long dir = 0;
        long timestamp = 0;
        long size = 0;
        byte[] md5 = null;
        for (int i = 0; i < forms.length; i++) {
            int form = forms[i];
            switch (contentTypes[i]) {
                case DW_LNCT_path -> name = readString(c, form, dwarf64, str, lineStr);
                case DW_LNCT_directory_index -> dir = readUnsigned(c, form);
                case DW_LNCT_timestamp -> timestamp = isBlock(form) ? skipBlock(c, form) : readUnsigned(c, form);
                case DW_LNCT_size -> size = readUnsigned(c, form);
                case DW_LNCT_MD5 -> {
                    if (form == DW_FORM_data16) {
                        md5 = c.bytes(16);
                    } else {
                        skip(c, form, dwarf64);
                    }
                }
                default -> skip(c, form, dwarf64); // vendor content (e.g. LLVM's embedded source)
            }
        }
        if (name == null) {
            throw new DwarfException("line table entry without DW_LNCT_path");
        }
        return new LineFile(name, (int) dir, name, timestamp, size, md5);
    }

    private static String readString(DwarfCursor c, int form, boolean dwarf64, ByteBuffer str, ByteBuffer lineStr) {
        return switch (form) {
            case DW_FORM_string -> c.cstring();
            case DW_FORM_line_strp -> new DwarfCursor(lineStr).cstringAt(c.offset(dwarf64));
            case DW_FORM_strp -> new DwarfCursor(str).cstringAt(c.offset(dwarf64));
            default -> throw new DwarfException("unsupported form 0x" + Integer.toHexString(form) + " for a line table path");
        };
    }

    private static long readUnsigned(DwarfCursor c, int form) {
        return switch (form) {
            case DW_FORM_data1 -> c.u8();
            case DW_FORM_data2 -> c.u16();
            case DW_FORM_data4 -> c.u32();
            case DW_FORM_data8 -> c.u64();
            case DW_FORM_udata -> c.uleb();
            case DW_FORM_sdata -> c.sleb();
            case DW_FORM_data16 -> {
                long low = c.u64();
                c.u64();
                yield low;
            }
            default -> throw new DwarfException("unsupported form 0x" + Integer.toHexString(form) + " for a line table number");
        };
    }

    private static boolean isBlock(int form) {
        return form == DW_FORM_block || form == DW_FORM_block1 || form == DW_FORM_block2 || form == DW_FORM_block4;
    }

    private static long skipBlock(DwarfCursor c, int form) {
        long length = switch (form) {
            case DW_FORM_block1 -> c.u8();
            case DW_FORM_block2 -> c.u16();
            case DW_FORM_block4 -> c.u32();
            default -> c.uleb();
        };
        c.skip(length);
        return 0;
    }

    private static void skip(DwarfCursor c, int form, boolean dwarf64) {
        switch (form) {
            case DW_FORM_string -> c.cstring();
            case DW_FORM_strp, DW_FORM_line_strp -> c.offset(dwarf64);
            case DW_FORM_block, DW_FORM_block1, DW_FORM_block2, DW_FORM_block4 -> skipBlock(c, form);
            default -> readUnsigned(c, form);
        }
    }
}
