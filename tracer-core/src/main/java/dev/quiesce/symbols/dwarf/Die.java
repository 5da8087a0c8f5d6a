package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.List;

/**
 * A debugging information entry. It keeps only where its attribute values start and decodes a
 * value when asked, so reading many DIEs stays cheap. Children are read on demand.
 */
public final class Die {
    private final Unit unit;
    private final int offset;
    private final Abbreviation abbrev;
    private final int[] valuePositions;
    private final int endOffset;

    Die(Unit unit, int offset, Abbreviation abbrev, int[] valuePositions, int endOffset) {
        this.unit = unit;
        this.offset = offset;
        this.abbrev = abbrev;
        this.valuePositions = valuePositions;
        this.endOffset = endOffset;
    }

    public Unit unit() {
        return unit;
    }

    /** The offset of this DIE in {@code .debug_info}. */
    public long offset() {
        return offset;
    }

    public int tag() {
        return abbrev.tag();
    }

    public boolean hasChildren() {
        return abbrev.hasChildren();
    }

    /** Where the DIE's attributes end: its first child or its next sibling. */
    int endOffset() {
        return endOffset;
    }

    public boolean has(int attribute) {
        return abbrev.indexOf(attribute) >= 0;
    }

    /** The form of an attribute's value (DW_FORM_indirect resolved), or 0 when absent. */
    public int form(int attribute) {
        int i = abbrev.indexOf(attribute);
        return i < 0 ? 0 : FormReader.actualForm(unit.cursor(), valuePositions[i], abbrev.forms()[i]);
    }

    /** The decoded value (see {@link FormReader}), or null when the attribute is absent. */
    public Object value(int attribute) {
        int i = abbrev.indexOf(attribute);
        return i < 0 ? null : valueAt(i);
    }

    private Object valueAt(int i) {
        DwarfCursor c = unit.cursor().seek(valuePositions[i]);
        return FormReader.read(c, abbrev.forms()[i], abbrev.implicitConsts()[i], unit);
    }

    public long unsigned(int attribute, long absent) {
        return value(attribute) instanceof Long l ? l : absent;
    }

    public String string(int attribute) {
        return value(attribute) instanceof String s ? s : null;
    }

    public byte[] block(int attribute) {
        return value(attribute) instanceof byte[] b ? b : null;
    }

    /** A reference attribute as an absolute {@code .debug_info} offset, or -1. */
    public long reference(int attribute) {
        int i = abbrev.indexOf(attribute);
        if (i < 0) {
            return -1;
        }
        int form = FormReader.actualForm(unit.cursor(), valuePositions[i], abbrev.forms()[i]);
        return DwForm.isReference(form) ? (Long) valueAt(i) : -1;
    }

    public String name() {
        return string(DwAt.NAME);
    }

    public List<Attribute> attributes() {
        List<Attribute> out = new ArrayList<>(valuePositions.length);
        for (int i = 0; i < valuePositions.length; i++) {
            int form = FormReader.actualForm(unit.cursor(), valuePositions[i], abbrev.forms()[i]);
            out.add(new Attribute(abbrev.attributes()[i], form, valueAt(i)));
        }
        return out;
    }

    public List<Die> children() {
        if (!hasChildren()) {
            return List.of();
        }
        List<Die> out = new ArrayList<>();
        DwarfCursor c = unit.cursor().seek(endOffset);
        // Each DIE read starts after the previous one's offset (a sibling must point forward, a
        // forward skip never goes back), so the unit's end ends the list.
        while (true) {
            Die child = unit.readDie(c);
            if (child == null) {
                return out;
            }
            out.add(child);
            unit.skipChildren(c, child);
        }
    }

    /**
     * The code ranges of this DIE: DW_AT_ranges, or DW_AT_low_pc with DW_AT_high_pc (an address,
     * or an offset from low_pc when of a constant class, section 2.17.2). Empty when it has none.
     */
    public List<AddressRange> ranges() {
        int ri = abbrev.indexOf(DwAt.RANGES);
        if (ri >= 0) {
            int form = FormReader.actualForm(unit.cursor(), valuePositions[ri], abbrev.forms()[ri]);
            long v = (Long) valueAt(ri);
            return RangeLists.read(unit, form, v);
        }
        int li = abbrev.indexOf(DwAt.LOW_PC);
        int hi = abbrev.indexOf(DwAt.HIGH_PC);
        if (li < 0 || hi < 0) {
            return List.of();
        }
        long low = (Long) valueAt(li);
        long high = (Long) valueAt(hi);
        int highForm = FormReader.actualForm(unit.cursor(), valuePositions[hi], abbrev.forms()[hi]);
        if (DwForm.isConstant(highForm)) {
            high += low;
        }
        return high > low ? List.of(new AddressRange(low, high)) : List.of();
    }

    @Override
    public String toString() {
        return "DIE<0x" + Long.toHexString(offset) + " tag 0x" + Integer.toHexString(tag()) + ">";
    }
}
