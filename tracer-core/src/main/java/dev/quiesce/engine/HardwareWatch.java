package dev.quiesce.engine;

/**
 * One debug-register watchpoint: {@code length} bytes (1, 2, 4 or 8) at an address aligned to
 * its length. x86-64 has no read-only watchpoint: a read watch is a read-or-write one whose
 * hits the layer above filters by comparing the bytes.
 */
public record HardwareWatch(long address, int length, boolean readsToo) {
    public HardwareWatch {
        if (length != 1 && length != 2 && length != 4 && length != 8) {
            throw new IllegalArgumentException("a hardware watchpoint covers 1, 2, 4 or 8 bytes, not " + length);
        }
        if (address % length != 0) {
            throw new IllegalArgumentException(String.format("0x%x is not aligned to %d bytes", address, length));
        }
    }
}
