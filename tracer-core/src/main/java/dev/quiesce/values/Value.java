package dev.quiesce.values;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A typed value: its bytes (little-endian, as in the debuggee) and where it lives, if anywhere
 * it can be written back to: memory ({@code address}), a register of frame 0
 * ({@code register}), or nowhere (computed, implicit, or a piece of several places). Bit fields
 * keep the containing storage's address with {@code bitOffset}/{@code bitSize}. A value whose
 * storage could not be read carries the reason ({@link #error}) instead of bytes: shown as gdb
 * shows it ({@code <error: Cannot access memory at address 0x...>}), and any use of it fails so.
 */
public final class Value {
    public static final long NO_ADDRESS = -1;

    private final Type type;
    private final byte[] bytes; // null: optimized out
    private final long address;
    private final int register;
    private final int bitOffset;
    private final int bitSize;
    private final ValueException error; // non-null: could not be read, and why

    private Value(Type type, byte[] bytes, long address, int register, int bitOffset, int bitSize) {
        this(type, bytes, address, register, bitOffset, bitSize, null);
    }

    private Value(Type type, byte[] bytes, long address, int register, int bitOffset, int bitSize, ValueException error) {
        this.error = error;
        this.type = type;
        this.bytes = bytes;
        this.address = address;
        this.register = register;
        this.bitOffset = bitOffset;
        this.bitSize = bitSize;
    }

    public static Value inMemory(Type type, long address, byte[] bytes) {
        return new Value(type, bytes, address, -1, 0, 0);
    }

    public static Value inRegister(Type type, int register, byte[] bytes) {
        return new Value(type, bytes, NO_ADDRESS, register, 0, 0);
    }

    public static Value of(Type type, byte[] bytes) {
        return new Value(type, bytes, NO_ADDRESS, -1, 0, 0);
    }

    public static Value optimizedOut(Type type) {
        return new Value(type, null, NO_ADDRESS, -1, 0, 0);
    }

    /** A value that could not be read: {@code reason} in gdb's words ("Cannot access memory at address 0x3"). */
    public static Value error(Type type, ValueException reason) {
        return new Value(type, null, NO_ADDRESS, -1, 0, 0, reason);
    }

    /**
     * A value in memory that was not read as a whole ({@code reason}: too large), though its
     * parts can be: an array of 2^60 elements through a pointer, whose elements each read alone.
     */
    public static Value unreadAt(Type type, long address, ValueException reason) {
        return new Value(type, null, address, -1, 0, 0, reason);
    }

    /** A bit field: {@code bits} already extracted (sign-extended when the type is signed). */
    public static Value bitField(Type type, long address, int bitOffset, int bitSize, long bits) {
        byte[] b = new byte[(int) Math.max(1, Math.min(8, type.size()))]; // bits fit a long
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (bits >>> (8 * i));
        }
        return new Value(type, b, address, -1, bitOffset, bitSize);
    }

    public static Value ofLong(Type type, long v) {
        byte[] b = new byte[(int) Math.max(1, Math.min(8, type.size()))];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return of(type, b);
    }

    public static Value ofDouble(Type type, double v) {
        if (type.strip().size() == 4) {
            return ofLong(type, Float.floatToRawIntBits((float) v) & 0xffffffffL);
        }
        return ofLong(type, Double.doubleToRawLongBits(v));
    }

    public Type type() {
        return type;
    }

    public boolean optimizedOut() {
        return bytes == null && error == null;
    }

    /** Why the value could not be read, or null. */
    public String error() {
        return error == null ? null : error.getMessage();
    }

    public byte[] bytes() {
        if (error != null) {
            throw error; // as it was first thrown: a MemoryAccessError stays one
        }
        if (bytes == null) {
            throw new ValueException("value has been optimized out");
        }
        return bytes;
    }

    public boolean hasAddress() {
        return address != NO_ADDRESS;
    }

    public long address() {
        return address;
    }

    public int register() {
        return register;
    }

    public boolean isBitField() {
        return bitSize > 0;
    }

    public int bitOffset() {
        return bitOffset;
    }

    public int bitSize() {
        return bitSize;
    }

    /** The value as an integer of its type's size and signedness (pointers unsigned). */
    public long asLong() {
        byte[] b = bytes();
        Type t = type.strip();
        if (t.kind() == Type.Kind.FLOAT) {
            return (long) asDouble();
        }
        int n = (int) Math.min(8, Math.min(b.length, Math.max(1, t.size())));
        long v = 0;
        for (int i = 0; i < n; i++) {
            v |= (b[i] & 0xffL) << (8 * i);
        }
        if (t.signed() && n < 8) {
            int shift = 64 - 8 * n;
            v = (v << shift) >> shift;
        }
        return v;
    }

    public double asDouble() {
        Type t = type.strip();
        if (t.kind() != Type.Kind.FLOAT) {
            long v = asLong();
            return t.signed() || v >= 0 ? (double) v : (double) (v >>> 1) * 2.0;
        }
        byte[] b = bytes();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return switch ((int) t.size()) {
            case 4 -> bb.getFloat(0);
            case 8 -> bb.getDouble(0);
            default -> x87(b);
        };
    }

    /** An 80-bit x87 extended value (long double) to the nearest double. */
    private static double x87(byte[] b) {
        long mantissa = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        int se = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        int exp = se & 0x7fff;
        double sign = (se & 0x8000) != 0 ? -1 : 1;
        if (exp == 0 && mantissa == 0) {
            return sign * 0.0;
        }
        if (exp == 0x7fff) {
            return (mantissa << 1) == 0 ? sign * Double.POSITIVE_INFINITY : Double.NaN;
        }
        double m = (double) (mantissa >>> 11) / (1L << 52);
        return sign * m * Math.pow(2, exp - 16383);
    }

    public boolean isTrue() {
        Type t = type.strip();
        if (t.kind() == Type.Kind.FLOAT) {
            return asDouble() != 0;
        }
        if (t.isInteger() || t.kind() == Type.Kind.POINTER) {
            return asLong() != 0;
        }
        throw new ValueException("a " + type.name() + " is not a condition: it is neither a number nor a pointer");
    }

    /** A part of this value's bytes as a value of its own (members, elements). */
    public Value slice(Type t, long offset, long size) {
        long a = address == NO_ADDRESS ? NO_ADDRESS : address + offset;
        if (error != null) {
            return new Value(t, null, a, -1, 0, 0, error);
        }
        if (offset < 0 || size < 0 || bytes != null && (offset > bytes.length || size > bytes.length - offset)) {
            throw new ValueException("the value has only " + bytes.length + " bytes; cannot read " + size + " at offset " + offset);
        }
        byte[] b = bytes == null ? null : Arrays.copyOfRange(bytes, (int) offset, (int) (offset + size));
        return new Value(t, b, a, -1, 0, 0);
    }

    public Value withType(Type t) {
        return new Value(t, bytes, address, register, bitOffset, bitSize, error);
    }
}
