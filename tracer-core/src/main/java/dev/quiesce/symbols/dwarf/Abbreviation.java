package dev.quiesce.symbols.dwarf;

/**
 * One entry of {@code .debug_abbrev} (DWARF 5 section 7.5.3): the tag, whether children follow,
 * and the (attribute, form) pairs; {@code implicitConsts[i]} holds the value of a
 * DW_FORM_implicit_const attribute, which has no bytes in {@code .debug_info}.
 */
public record Abbreviation(long code, int tag, boolean hasChildren, int[] attributes, int[] forms,
                           long[] implicitConsts) {

    /** The index of {@code attribute} in this abbreviation, or -1. */
    public int indexOf(int attribute) {
        for (int i = 0; i < attributes.length; i++) {
            if (attributes[i] == attribute) {
                return i;
            }
        }
        return -1;
    }
}
