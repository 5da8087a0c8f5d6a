package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.dwarf.DwarfCursor;
import dev.quiesce.symbols.dwarf.DwarfException;
import java.util.function.LongUnaryOperator;

/**
 * The DW_EH_PE_* pointer encodings of .eh_frame and .eh_frame_hdr (LSB 5.0 "Exception Frames";
 * not in DWARF itself): a value format in the low nibble, how it is applied in bits 4-6, and
 * 0x80 for an indirect pointer. Addresses are link-time addresses of the file.
 */
public final class PointerEncoding {
    public static final int ABSPTR = 0x00;
    public static final int ULEB128 = 0x01;
    public static final int UDATA2 = 0x02;
    public static final int UDATA4 = 0x03;
    public static final int UDATA8 = 0x04;
    public static final int SLEB128 = 0x09;
    public static final int SDATA2 = 0x0a;
    public static final int SDATA4 = 0x0b;
    public static final int SDATA8 = 0x0c;
    public static final int PCREL = 0x10;
    public static final int TEXTREL = 0x20;
    public static final int DATAREL = 0x30;
    public static final int FUNCREL = 0x40;
    public static final int ALIGNED = 0x50;
    public static final int INDIRECT = 0x80;
    public static final int OMIT = 0xff;

    /**
     * Base addresses for the relative applications. {@code section} is the link-time address of
     * the section whose bytes the cursor reads (for pcrel); {@code indirect} reads an 8-byte
     * pointer at a link-time address (null: indirect pointers are left as their address).
     */
    public record Bases(long section, long text, long data, long function, LongUnaryOperator indirect) {
        public Bases withFunction(long f) {
            return new Bases(section, text, data, f, indirect);
        }
    }

    private PointerEncoding() {
    }

    /** Size in bytes of a fixed-size format, or -1 for LEB128. */
    public static int size(int encoding) {
        return switch (encoding & 0x0f) {
            case ABSPTR, UDATA8, SDATA8 -> 8;
            case UDATA2, SDATA2 -> 2;
            case UDATA4, SDATA4 -> 4;
            case ULEB128, SLEB128 -> -1;
            default -> throw new DwarfException("unknown pointer format 0x" + Integer.toHexString(encoding));
        };
    }

    /** Reads the value's format only, no application: FDE address ranges are encoded this way. */
    public static long readRaw(DwarfCursor c, int encoding) {
        return switch (encoding & 0x0f) {
            case ABSPTR, UDATA8, SDATA8 -> c.u64();
            case ULEB128 -> c.uleb();
            case UDATA2 -> c.u16();
            case UDATA4 -> c.u32();
            case SLEB128 -> c.sleb();
            case SDATA2 -> c.s16();
            case SDATA4 -> c.s32();
            default -> throw new DwarfException("unknown pointer format 0x" + Integer.toHexString(encoding));
        };
    }

    /** Reads an encoded pointer; 0 for DW_EH_PE_omit. */
    public static long read(DwarfCursor c, int encoding, Bases bases) {
        if (encoding == OMIT) {
            return 0;
        }
        long fieldAddress = bases.section() + c.position();
        if ((encoding & 0x70) == ALIGNED) {
            int aligned = (c.position() + 7) & ~7;
            c.seek(aligned);
            fieldAddress = bases.section() + aligned;
        }
        long value = readRaw(c, encoding);
        if (value == 0 && (encoding & 0x70) != ALIGNED && (encoding & 0x70) != 0) {
            // A zero relative pointer stays a null pointer (libgcc's read_encoded_value does the same).
            return 0;
        }
        long base = switch (encoding & 0x70) {
            case 0, ALIGNED -> 0;
            case PCREL -> fieldAddress;
            case TEXTREL -> bases.text();
            case DATAREL -> bases.data();
            case FUNCREL -> bases.function();
            default -> throw new DwarfException("unknown pointer application 0x" + Integer.toHexString(encoding));
        };
        long address = base + value;
        if ((encoding & INDIRECT) != 0 && bases.indirect() != null) {
            address = bases.indirect().applyAsLong(address);
        }
        return address;
    }
}
