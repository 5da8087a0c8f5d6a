package dev.quiesce.engine;

/** A range of the program's memory: {@code length} bytes at {@code address}. */
public record MemoryRange(long address, int length) {
    public boolean overlaps(long a, long n) {
        return a < address + length && address < a + n;
    }
}
