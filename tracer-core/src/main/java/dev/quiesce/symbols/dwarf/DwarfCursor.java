package dev.quiesce.symbols.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A read position in one DWARF (or ELF) section: fixed-size little-endian integers, LEB128,
 * NUL-terminated strings and DWARF's initial-length (32- or 64-bit format). Not thread-safe;
 * make one per reader. The underlying buffer is shared and never modified.
 */
public final class DwarfCursor {
    private final ByteBuffer data;
    private int pos;

    public DwarfCursor(ByteBuffer data) {
        this(data, 0);
    }

    public DwarfCursor(ByteBuffer data, int pos) {
        this.data = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        this.pos = pos;
    }

    public int position() {
        return pos;
    }

    public DwarfCursor seek(long offset) {
        if (offset < 0 || offset > data.limit()) {
            throw new DwarfException("offset 0x" + Long.toHexString(offset) + " outside a section of " + data.limit() + " bytes");
        }
        pos = (int) offset;
        return this;
    }

    /**
     * Moves forward {@code n} bytes. A length read from the data as 2^64 - k is negative here:
     * moving back would make readers that loop until the end (DIE lists, forms) re-read the same
     * bytes for ever, so it is refused.
     */
    public void skip(long n) {
        if (n < 0) {
            throw new DwarfException("a length of " + Long.toUnsignedString(n) + " bytes at 0x" + Integer.toHexString(pos));
        }
        seek(pos + n);
    }

    public int limit() {
        return data.limit();
    }

    public boolean atEnd() {
        return pos >= data.limit();
    }

    public int u8() {
        return data.get(pos++) & 0xff;
    }

    public int u16() {
        int v = data.getShort(pos) & 0xffff;
        pos += 2;
        return v;
    }

    public int u24() {
        int v = u16();
        return v | (u8() << 16);
    }

    public long u32() {
        long v = data.getInt(pos) & 0xffffffffL;
        pos += 4;
        return v;
    }

    public long u64() {
        long v = data.getLong(pos);
        pos += 8;
        return v;
    }

    public int s8() {
        return data.get(pos++);
    }

    public int s16() {
        int v = data.getShort(pos);
        pos += 2;
        return v;
    }

    public int s32() {
        int v = data.getInt(pos);
        pos += 4;
        return v;
    }

    /** An unsigned integer of 1, 2, 4 or 8 bytes. */
    public long unsigned(int size) {
        switch (size) {
            case 1: return u8();
            case 2: return u16();
            case 3: return u24();
            case 4: return u32();
            case 8: return u64();
            default: throw new DwarfException("unsupported integer size " + size);
        }
    }

    /** An offset of DWARF's 32-bit (4 bytes) or 64-bit (8 bytes) format. */
    public long offset(boolean dwarf64) {
        return dwarf64 ? u64() : u32();
    }

    public long uleb() {
        long result = 0;
        int shift = 0;
        while (true) {
            int b = data.get(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
    }

    public long sleb() {
        long result = 0;
        int shift = 0;
        int b;
        do {
            b = data.get(pos++);
            if (shift < 64) {
                result |= (long) (b & 0x7f) << shift;
            }
            shift += 7;
        } while ((b & 0x80) != 0);
        if (shift < 64 && (b & 0x40) != 0) {
            result |= -1L << shift;
        }
        return result;
    }

    /** A NUL-terminated UTF-8 string; the cursor moves past the NUL. */
    public String cstring() {
        int end = pos;
        while (data.get(end) != 0) {
            end++;
        }
        String s = string(pos, end - pos);
        pos = end + 1;
        return s;
    }

    /** The NUL-terminated string at an absolute offset, without moving the cursor. */
    public String cstringAt(long offset) {
        int start = (int) offset;
        if (offset < 0 || offset >= data.limit()) {
            throw new DwarfException("string offset 0x" + Long.toHexString(offset) + " outside its section");
        }
        int end = start;
        while (data.get(end) != 0) {
            end++;
        }
        return string(start, end - start);
    }

    private String string(int start, int length) {
        byte[] bytes = new byte[length];
        data.get(start, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** {@code n} bytes; a length from corrupt data that runs past the section is refused before allocating. */
    public byte[] bytes(int n) {
        if (n < 0 || n > data.limit() - pos) {
            throw new DwarfException("a block of " + Integer.toUnsignedString(n) + " bytes at 0x" + Integer.toHexString(pos)
                    + " runs past its section of " + data.limit() + " bytes");
        }
        byte[] out = new byte[n];
        data.get(pos, out);
        pos += n;
        return out;
    }

    /** A view of the next {@code n} bytes, without copying; the cursor moves past them. */
    public ByteBuffer slice(int n) {
        ByteBuffer s = data.slice(pos, n).order(ByteOrder.LITTLE_ENDIAN);
        pos += n;
        return s;
    }

    /**
     * DWARF's initial length: 0xffffffff announces the 64-bit format and an 8-byte length.
     * Returns the unit length; {@link #lastWasDwarf64()} tells the format.
     */
    public long initialLength() {
        long len = u32();
        if (len == 0xffffffffL) {
            lastDwarf64 = true;
            return u64();
        }
        lastDwarf64 = false;
        return len;
    }

    private boolean lastDwarf64;

    public boolean lastWasDwarf64() {
        return lastDwarf64;
    }
}
