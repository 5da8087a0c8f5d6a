package dev.quiesce.symbols.dwarf;

import java.util.List;

/**
 * Where a variable lives, from DW_AT_location (section 2.6): a single DWARF expression
 * ({@code expression}), or a location list at {@code listOffset} in {@code .debug_loclists}
 * (DWARF 5) or {@code .debug_loc} (DWARF 2-4), with loclistx indexes already resolved.
 * {@link #NONE} when the variable was optimized away.
 */
public record Location(byte[] expression, long listOffset, Unit unit) {
    public static final Location NONE = new Location(null, -1, null);

    public boolean isExpression() {
        return expression != null;
    }

    public boolean isList() {
        return listOffset >= 0;
    }

    /** The list's entries (empty for an expression or NONE). */
    public List<LocationEntry> entries() {
        return isList() ? LocationLists.read(unit, listOffset) : List.of();
    }

    static Location of(Die d) {
        Object v = d.value(DwAt.LOCATION);
        if (v instanceof byte[] expr) {
            return new Location(expr, -1, null);
        }
        if (v instanceof Long l) {
            Unit u = d.unit();
            long offset = d.form(DwAt.LOCATION) == DwForm.LOCLISTX
                    ? u.listOffset(u.loclistsBase(), u.debugInfo().sections().loclists(), l)
                    : l;
            return new Location(null, offset, u);
        }
        return NONE;
    }
}
