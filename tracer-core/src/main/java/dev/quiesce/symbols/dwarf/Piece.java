package dev.quiesce.symbols.dwarf;

/**
 * One piece of a composite location (DW_OP_piece / DW_OP_bit_piece), or the whole object when the
 * expression had no piece operators ({@code sizeBits} is then -1). {@code offsetBits} is the bit offset
 * inside the location (DW_OP_bit_piece's second operand).
 */
public record Piece(ValueLocation location, long sizeBits, long offsetBits) {
    public static final long WHOLE = -1;

    public boolean whole() {
        return sizeBits == WHOLE;
    }
}
