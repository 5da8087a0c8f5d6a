package dev.quiesce.symbols.unwind;

import dev.quiesce.linux.ProcessMemory;

/** The debuggee's memory as the unwinder reads it. */
@FunctionalInterface
public interface MemoryReader {

    /** Reads up to {@code buffer.length} bytes; returns how many were readable. */
    int read(long address, byte[] buffer);

    /** {@code size} (1..8) bytes little-endian, zero-extended; throws UnwindException if unreadable. */
    default long read(long address, int size) {
        byte[] b = new byte[size];
        if (read(address, b) < size) {
            throw new UnwindException("cannot read " + size + " bytes at 0x" + Long.toHexString(address));
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    default long readLong(long address) {
        return read(address, 8);
    }

    static MemoryReader of(ProcessMemory memory) {
        return memory::read;
    }
}
