package dev.quiesce.symbols.dwarf;

import dev.quiesce.symbols.elf.ElfFile;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code .debug_info} of one ELF file. Opening only walks the unit headers; DIEs are read
 * when asked for. Abbreviation tables are parsed once per offset and shared by the units using them.
 */
public final class DebugInfo {
    private final DwarfSections sections;
    private final ByteBuffer aranges;
    private final List<Unit> units;
    private final Map<Long, AbbrevTable> abbrevTables = new ConcurrentHashMap<>();
    private volatile AddressMap<Unit> unitsByAddress;

    private DebugInfo(DwarfSections sections, ByteBuffer aranges) {
        this.sections = sections;
        this.aranges = aranges;
        this.units = Collections.unmodifiableList(readHeaders());
    }

    public static DebugInfo of(ElfFile elf) {
        return of(DwarfSections.of(elf), elf.data(".debug_aranges").orElseGet(() -> ByteBuffer.allocate(0)));
    }

    public static DebugInfo of(DwarfSections sections, ByteBuffer aranges) {
        return new DebugInfo(sections, aranges);
    }

    private List<Unit> readHeaders() {
        List<Unit> out = new ArrayList<>();
        DwarfCursor c = new DwarfCursor(sections.info());
        while (c.position() + 11 <= c.limit()) { // a unit ends at least 4 bytes after it starts: always forward
            UnitHeader h = UnitHeader.read(c);
            out.add(new Unit(this, h));
            c.seek(h.endOffset());
        }
        return out;
    }

    public DwarfSections sections() {
        return sections;
    }

    /** All units in section order (compile, partial, type, skeleton...). */
    public List<Unit> units() {
        return units;
    }

    AbbrevTable abbrevTable(long offset) {
        return abbrevTables.computeIfAbsent(offset, o -> AbbrevTable.parse(sections.abbrev(), o));
    }

    /** The unit holding a {@code .debug_info} offset. */
    public Unit unitContaining(long offset) {
        int lo = 0;
        int hi = units.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            UnitHeader h = units.get(mid).header();
            if (offset < h.offset()) {
                hi = mid - 1;
            } else if (offset >= h.endOffset()) {
                lo = mid + 1;
            } else {
                return units.get(mid);
            }
        }
        throw new DwarfException("offset 0x" + Long.toHexString(offset) + " is in no unit of .debug_info");
    }

    /** The DIE at a {@code .debug_info} offset, with its attributes and (on demand) children. */
    public Die die(long offset) {
        return unitContaining(offset).die(offset);
    }

    /**
     * The compile unit whose code contains {@code address}: from {@code .debug_aranges} when the
     * file has it, else from the units' own ranges. Null when none does.
     */
    public Unit unitAt(long address) {
        AddressMap<Unit> map = unitsByAddress;
        if (map == null) {
            synchronized (this) { // built once: a read-ahead thread and a request may both ask first
                map = unitsByAddress;
                if (map == null) {
                    map = buildUnitMap();
                    unitsByAddress = map;
                }
            }
        }
        return map.get(address);
    }

    private AddressMap<Unit> buildUnitMap() {
        AddressMap.Builder<Unit> b = new AddressMap.Builder<>();
        java.util.Set<Unit> covered = new java.util.HashSet<>();
        if (aranges.limit() > 0) {
            List<Object[]> fromAranges = new ArrayList<>();
            try {
                ArangesReader.read(aranges, (unitOffset, r) -> fromAranges.add(new Object[] {unitContaining(unitOffset), r}));
            } catch (DwarfException | IndexOutOfBoundsException e) {
                fromAranges.clear(); // a corrupt .debug_aranges: every unit's own ranges instead
            }
            for (Object[] entry : fromAranges) {
                Unit u = (Unit) entry[0];
                AddressRange r = (AddressRange) entry[1];
                covered.add(u);
                b.add(r.low(), r.high(), u);
            }
        }
        for (Unit u : units) {
            if (!covered.contains(u) && !u.header().isTypeUnit()) {
                for (AddressRange r : u.ranges()) {
                    b.add(r.low(), r.high(), u);
                }
            }
        }
        return b.build();
    }
}
