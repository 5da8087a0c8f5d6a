package dev.quiesce.symbols.dwarf;

import java.util.List;

/**
 * A DW_TAG_inlined_subroutine (section 3.3.8.2): the inlined function's name (from its abstract
 * origin), where it was called from ({@code callFile} is an index into the file table of the line
 * program at {@link #stmtList()}), and the code ranges of the inlined copy.
 */
public record InlinedCall(long dieOffset, long abstractOrigin, String name, String qualifiedName, String linkageName,
                          int callFile, int callLine, int callColumn, List<AddressRange> ranges,
                          long entryPc, Unit unit) {
    /** The offset of the line program whose file table {@code callFile} indexes. */
    public long stmtList() {
        return unit.stmtList();
    }

    @Override
    public String toString() {
        return qualifiedName + " called at " + callFile + ":" + callLine + ":" + callColumn + " " + ranges;
    }

    public boolean contains(long address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
