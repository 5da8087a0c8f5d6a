package dev.quiesce.symbols.unwind;

/** How to compute the canonical frame address of a row (DWARF 5 §6.4.1). */
public sealed interface CfaRule {

    /** CFA = register + offset (DW_CFA_def_cfa and friends). */
    record RegisterOffset(int register, long offset) implements CfaRule {
        @Override
        public String toString() {
            return Dwarf86Registers.name(register) + (offset >= 0 ? "+" : "") + offset;
        }
    }

    /** CFA = the value of a DWARF expression (DW_CFA_def_cfa_expression); nothing is pushed first. */
    record Expression(byte[] code) implements CfaRule {
        @Override
        public String toString() {
            return "exp";
        }
    }
}
