package dev.quiesce.symbols.dwarf;

/** Where (part of) an object lives after a DWARF expression has run (DWARF 5 §2.6). */
public sealed interface ValueLocation {

    /** In target memory at {@code address}. */
    record Memory(long address) implements ValueLocation {
    }

    /** In the register with this DWARF number (DW_OP_reg*). */
    record Register(int dwarfNumber) implements ValueLocation {
    }

    /** Nowhere: the value itself was computed (DW_OP_stack_value). */
    record Value(long value) implements ValueLocation {
    }

    /** Nowhere: the bytes are in the expression (DW_OP_implicit_value). */
    record Implicit(byte[] bytes) implements ValueLocation {
    }

    /** Optimized out: an empty piece (DWARF 5 §2.6.1.1.1). */
    record OptimizedOut() implements ValueLocation {
    }
}
