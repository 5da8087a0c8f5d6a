package dev.quiesce.symbols.dwarf;

/**
 * A formal parameter or local variable of a function, lexical block or inlined call. Name, type
 * and declaration come from the DIE or its DW_AT_abstract_origin. {@code typeOffset} is the
 * {@code .debug_info} offset of the type DIE (-1 when unknown); {@code constValue} is
 * DW_AT_const_value when the compiler folded the variable to a constant (a Long or byte[]).
 */
public record Variable(long dieOffset, String name, boolean parameter, long typeOffset, Location location,
                       Object constValue, int declFile, int declLine) {
}
