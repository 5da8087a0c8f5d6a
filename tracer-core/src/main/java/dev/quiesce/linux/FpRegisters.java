package dev.quiesce.linux;

import com.sun.jna.Memory;

/**
 * The FXSAVE area of a thread (PTRACE_GETFPREGS, user_fpregs_struct, 512 bytes): x87 control
 * and status words, MXCSR, ST0-7 (80 bits in 16-byte slots) and XMM0-15 (16 bytes each).
 */
public record FpRegisters(byte[] area) {
    private static final int SIZE = 512;
    private static final int MXCSR = 24;
    private static final int ST0 = 32;
    private static final int XMM0 = 160;

    public FpRegisters {
        area = area.clone();
    }

    public static FpRegisters read(int tid) {
        Memory buffer = new Memory(SIZE);
        Ptrace.getFpRegs(tid, buffer);
        return new FpRegisters(buffer.getByteArray(0, SIZE));
    }

    public int mxcsr() {
        return java.nio.ByteBuffer.wrap(area, MXCSR, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** XMM register {@code n} (0-15), 16 bytes little-endian. */
    public byte[] xmm(int n) {
        return java.util.Arrays.copyOfRange(area, XMM0 + 16 * n, XMM0 + 16 * n + 16);
    }

    /** The low double of XMM{@code n} (what a C double in that register holds). */
    public double xmmDouble(int n) {
        return java.nio.ByteBuffer.wrap(area, XMM0 + 16 * n, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getDouble();
    }

    /** ST{@code n} (0-7), the 10 bytes of the 80-bit value. */
    public byte[] st(int n) {
        return java.util.Arrays.copyOfRange(area, ST0 + 16 * n, ST0 + 16 * n + 10);
    }

    @Override
    public byte[] area() {
        return area.clone();
    }
}
