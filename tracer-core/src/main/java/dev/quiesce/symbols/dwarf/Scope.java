package dev.quiesce.symbols.dwarf;

import java.util.List;

/**
 * A function body, lexical block or inlined call with the variables it declares and the scopes
 * nested in it. {@code inlined} is set for {@link Kind#INLINED_SUBROUTINE} only.
 */
public record Scope(Kind kind, long dieOffset, List<AddressRange> ranges, List<Variable> variables,
                    List<Scope> children, InlinedCall inlined) {
    public enum Kind { FUNCTION, LEXICAL_BLOCK, INLINED_SUBROUTINE }

    public boolean contains(long address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
