package dev.quiesce.symbols.unwind;

/**
 * How to recover a caller's register from the current frame (DWARF 5 §6.4.1 "register rules").
 * {@link #toString()} follows readelf --debug-dump=frames-interp's notation.
 */
public sealed interface RegisterRule {

    /** The caller's value is lost. */
    record Undefined() implements RegisterRule {
        @Override
        public String toString() {
            return "u";
        }
    }

    /** The register was not changed. */
    record SameValue() implements RegisterRule {
        @Override
        public String toString() {
            return "s";
        }
    }

    /** Saved in memory at CFA + offset. */
    record Offset(long offset) implements RegisterRule {
        @Override
        public String toString() {
            return "c" + (offset >= 0 ? "+" : "") + offset;
        }
    }

    /** The value is CFA + offset. */
    record ValOffset(long offset) implements RegisterRule {
        @Override
        public String toString() {
            return "v" + (offset >= 0 ? "+" : "") + offset;
        }
    }

    /** Saved in another register. */
    record InRegister(int register) implements RegisterRule {
        @Override
        public String toString() {
            return Dwarf86Registers.name(register);
        }
    }

    /** Saved in memory at the address the expression computes, with the CFA pushed first. */
    record Expression(byte[] code) implements RegisterRule {
        @Override
        public String toString() {
            return "exp";
        }
    }

    /** The value is what the expression computes, with the CFA pushed first. */
    record ValExpression(byte[] code) implements RegisterRule {
        @Override
        public String toString() {
            return "vexp";
        }
    }
}
