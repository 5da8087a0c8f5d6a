package dev.quiesce.symbols.dwarf;

/**
 * One entry of a location list: the expression applies to pcs in [low, high); a default entry
 * (DW_LLE_default_location) applies where no other does.
 */
public record LocationEntry(long low, long high, byte[] expression, boolean isDefault) {
    public boolean contains(long pc) {
        return !isDefault && Long.compareUnsigned(pc, low) >= 0 && Long.compareUnsigned(pc, high) < 0;
    }
}
