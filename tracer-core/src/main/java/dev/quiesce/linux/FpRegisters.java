package dev.quiesce.linux;

import com.sun.jna.Memory;

/**
 * A thread's floating-point and vector state: the XSAVE area from PTRACE_GETREGSET NT_X86_XSTATE
 * (standard, non-compacted layout), whose first 512 bytes are the FXSAVE area (x87, MXCSR,
 * ST0-7, XMM0-15) and whose AVX component holds the upper halves of YMM0-15. Falls back to
 * PTRACE_GETFPREGS (FXSAVE only) where XSAVE is not offered.
 */
public record FpRegisters(byte[] area) {
    private static final int SIZE = 512;
    private static final int GETREGSET = 0x4204;
    private static final int SETREGSET = 0x4205;
    private static final int NT_X86_XSTATE = 0x202;
    private static final int XSTATE_MAX = 16384;
    private static final int XSTATE_BV = 512;
    private static final int AVX_HIGH = 576;
    private static final long AVX_BIT = 1L << 2;
    private static final int MXCSR = 24;
    private static final int ST0 = 32;
    private static final int XMM0 = 160;

    public FpRegisters {
        area = area.clone();
    }

    public static FpRegisters read(int tid) {
        Memory buffer = new Memory(XSTATE_MAX);
        Memory iov = new Memory(16);
        iov.setPointer(0, buffer);
        iov.setLong(8, XSTATE_MAX);
        try {
            LibC.ptrace(GETREGSET, tid, NT_X86_XSTATE, com.sun.jna.Pointer.nativeValue(iov));
            return new FpRegisters(buffer.getByteArray(0, (int) iov.getLong(8)));
        } catch (com.sun.jna.LastErrorException e) {
            Ptrace.getFpRegs(tid, buffer);
            return new FpRegisters(buffer.getByteArray(0, SIZE));
        }
    }

    /**
     * Writes the area back as it was read: the whole XSAVE area with PTRACE_SETREGSET
     * NT_X86_XSTATE (the kernel checks its header), or the FXSAVE area with PTRACE_SETFPREGS.
     */
    public void write(int tid) {
        Memory buffer = new Memory(Math.max(area.length, 1));
        buffer.write(0, area, 0, area.length);
        if (area.length > SIZE) {
            Memory iov = new Memory(16);
            iov.setPointer(0, buffer);
            iov.setLong(8, area.length);
            LibC.ptrace(SETREGSET, tid, NT_X86_XSTATE, com.sun.jna.Pointer.nativeValue(iov));
        } else {
            Ptrace.setFpRegs(tid, buffer);
        }
    }

    /** A copy with XMM{@code n}'s 16 bytes replaced (the AVX upper half is left as it is). */
    public FpRegisters withXmm(int n, byte[] sixteen) {
        byte[] copy = area.clone();
        System.arraycopy(sixteen, 0, copy, XMM0 + 16 * n, 16);
        return new FpRegisters(copy);
    }

    /** YMM register {@code n} (0-15), 32 bytes: XMM{@code n} then the AVX upper half (zero if AVX is unused). */
    public byte[] ymm(int n) {
        byte[] ymm = new byte[32];
        System.arraycopy(area, 160 + 16 * n, ymm, 0, 16);
        boolean avxSaved = area.length >= AVX_HIGH + 256
                && (java.nio.ByteBuffer.wrap(area, XSTATE_BV, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong() & AVX_BIT) != 0;
        if (avxSaved) {
            System.arraycopy(area, AVX_HIGH + 16 * n, ymm, 16, 16);
        }
        return ymm;
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
