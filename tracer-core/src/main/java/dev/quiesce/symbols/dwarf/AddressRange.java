package dev.quiesce.symbols.dwarf;

/** A half-open range of link-time addresses [low, high). */
public record AddressRange(long low, long high) {
    public boolean contains(long address) {
        return Long.compareUnsigned(address, low) >= 0 && Long.compareUnsigned(address, high) < 0;
    }

    @Override
    public String toString() {
        return "[0x" + Long.toHexString(low) + ", 0x" + Long.toHexString(high) + ")";
    }
}
