package dev.quiesce.symbols.dwarf;

import java.util.List;

/** The outcome of a DWARF expression: one whole location, or the pieces of a composite one. */
public record ExpressionResult(List<Piece> pieces) {

    public ExpressionResult {
        pieces = List.copyOf(pieces);
    }

    public boolean composite() {
        return pieces.size() != 1 || !pieces.get(0).whole();
    }

    /** The single location of a non-composite result. */
    public ValueLocation location() {
        if (composite()) {
            throw new DwarfException("the expression describes a composite location of " + pieces.size() + " pieces");
        }
        return pieces.get(0).location();
    }

    /**
     * The number the expression computed: a memory location's address or a stack value. This is
     * what CFI expressions need (DWARF 5 §6.4.2.2/§6.4.2.3).
     */
    public long value() {
        ValueLocation l = location();
        if (l instanceof ValueLocation.Memory m) {
            return m.address();
        }
        if (l instanceof ValueLocation.Value v) {
            return v.value();
        }
        throw new DwarfException("the expression gives " + l + ", not a number");
    }
}
