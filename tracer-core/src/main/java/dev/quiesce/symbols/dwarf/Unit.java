package dev.quiesce.symbols.dwarf;

import java.util.List;

/**
 * One unit of {@code .debug_info}: its header, and (read on first use) the attributes of its root
 * DIE that the rest of the unit depends on: name, comp_dir, producer, language, stmt_list, the
 * base address, and the DWARF 5 bases of the string-offset, address, range-list and
 * location-list tables (section 3.1.1).
 */
public final class Unit {
    private final DebugInfo owner;
    private final UnitHeader header;
    private AbbrevTable abbrevs;
    private boolean rootRead;
    private String name;
    private String compDir;
    private String producer;
    private int language;
    private long stmtList = -1;
    private long baseAddress;
    private long strOffsetsBase;
    private long addrBase;
    private long rnglistsBase;
    private long loclistsBase;
    private List<AddressRange> ranges;
    private Boolean hasLocationLists;

    Unit(DebugInfo owner, UnitHeader header) {
        this.owner = owner;
        this.header = header;
    }

    public UnitHeader header() {
        return header;
    }

    public DebugInfo debugInfo() {
        return owner;
    }

    public long offset() {
        return header.offset();
    }

    public int version() {
        return header.version();
    }

    synchronized AbbrevTable abbrevs() {
        if (abbrevs == null) {
            abbrevs = owner.abbrevTable(header.abbrevOffset());
        }
        return abbrevs;
    }

    /** The unit's root DIE (DW_TAG_compile_unit, partial_unit, type_unit or skeleton_unit). */
    public Die root() {
        return readDie(cursor().seek(header.firstDieOffset()));
    }

    /** The DIE at an offset inside this unit. */
    public Die die(long offset) {
        if (!header.contains(offset) || offset < header.firstDieOffset()) {
            throw new DwarfException("DIE offset 0x" + Long.toHexString(offset) + " is not in unit 0x"
                    + Long.toHexString(header.offset()));
        }
        Die d = readDie(cursor().seek(offset));
        if (d == null) {
            throw new DwarfException("no DIE at 0x" + Long.toHexString(offset));
        }
        return d;
    }

    DwarfCursor cursor() {
        return new DwarfCursor(owner.sections().info());
    }

    /**
     * Reads the DIE at the cursor, recording where each attribute value starts; the cursor ends
     * after the DIE's attributes (at its first child, or its next sibling). Returns null for the
     * null entry that ends a list of siblings.
     */
    Die readDie(DwarfCursor c) {
        int offset = c.position();
        if (offset >= header.endOffset()) {
            return null;
        }
        long code = c.uleb();
        if (code == 0) {
            return null;
        }
        Abbreviation a = abbrevs().get(code);
        int[] forms = a.forms();
        int[] pos = new int[forms.length];
        for (int i = 0; i < forms.length; i++) {
            pos[i] = c.position();
            FormReader.skip(c, forms[i], header);
        }
        return new Die(this, offset, a, pos, c.position());
    }

    /** Moves the cursor past the children of {@code d} (using DW_AT_sibling when present). */
    void skipChildren(DwarfCursor c, Die d) {
        if (!d.hasChildren()) {
            return;
        }
        long sibling = d.reference(DwAt.SIBLING);
        if (sibling > d.offset() && header.contains(sibling)) {
            c.seek(sibling);
            return;
        }
        c.seek(d.endOffset());
        int depth = 1;
        while (depth > 0 && c.position() < header.endOffset()) { // each entry reads at least its code byte
            Die child = readDie(c);
            if (child == null) {
                depth--;
            } else if (child.hasChildren()) {
                depth++;
            }
        }
    }

    private synchronized void readRoot() {
        if (rootRead) {
            return;
        }
        rootRead = true;
        Die root = root();
        if (root == null) {
            return;
        }
        // The bases come first: strx and addrx values of the root itself depend on them.
        strOffsetsBase = root.unsigned(DwAt.STR_OFFSETS_BASE, header.version() >= 5 ? 8 : 0);
        addrBase = root.unsigned(DwAt.ADDR_BASE, root.unsigned(DwAt.GNU_ADDR_BASE, 8));
        rnglistsBase = root.unsigned(DwAt.RNGLISTS_BASE, root.unsigned(DwAt.GNU_RANGES_BASE, 0));
        loclistsBase = root.unsigned(DwAt.LOCLISTS_BASE, 0);
        baseAddress = root.unsigned(DwAt.LOW_PC, 0);
        name = root.string(DwAt.NAME);
        compDir = root.string(DwAt.COMP_DIR);
        producer = root.string(DwAt.PRODUCER);
        language = (int) root.unsigned(DwAt.LANGUAGE, 0);
        stmtList = root.unsigned(DwAt.STMT_LIST, -1);
    }

    public String name() {
        readRoot();
        return name;
    }

    public String compDir() {
        readRoot();
        return compDir;
    }

    public String producer() {
        readRoot();
        return producer;
    }

    /** DW_AT_language (DW_LANG_*), 0 when absent. */
    public int language() {
        readRoot();
        return language;
    }

    /** DW_AT_stmt_list: the offset of this unit's line program in {@code .debug_line}, or -1. */
    public long stmtList() {
        readRoot();
        return stmtList;
    }

    /** The unit's base address (its DW_AT_low_pc) for range and location lists. */
    public long baseAddress() {
        readRoot();
        return baseAddress;
    }

    long strOffsetsBase() {
        readRoot();
        return strOffsetsBase;
    }

    public long addrBase() {
        readRoot();
        return addrBase;
    }

    public long rnglistsBase() {
        readRoot();
        return rnglistsBase;
    }

    public long loclistsBase() {
        readRoot();
        return loclistsBase;
    }

    /** The code ranges of the unit's root DIE (empty when it has none). */
    public synchronized List<AddressRange> ranges() {
        if (ranges == null) {
            Die root = root();
            ranges = root == null ? List.of() : root.ranges();
        }
        return ranges;
    }

    String string(long offset) {
        return new DwarfCursor(owner.sections().str()).cstringAt(offset);
    }

    String lineString(long offset) {
        return new DwarfCursor(owner.sections().lineStr()).cstringAt(offset);
    }

    /** DW_FORM_strx*: an entry of {@code .debug_str_offsets} from DW_AT_str_offsets_base (section 7.26). */
    String indexedString(long index) {
        int size = header.offsetSize();
        long entry = new DwarfCursor(owner.sections().strOffsets()).seek(strOffsetsBase() + index * size)
                .offset(header.dwarf64());
        return string(entry);
    }

    /** DW_FORM_addrx*: an entry of {@code .debug_addr} from DW_AT_addr_base (section 7.27). */
    public long indexedAddress(long index) {
        return new DwarfCursor(owner.sections().addr()).seek(addrBase() + index * header.addressSize())
                .unsigned(header.addressSize());
    }

    /**
     * A DW_FORM_rnglistx or loclistx index made a section offset: the table of offsets starts at
     * the base, and its entries are relative to the base (sections 7.28 and 7.29).
     */
    long listOffset(long base, java.nio.ByteBuffer section, long index) {
        long rel = new DwarfCursor(section).seek(base + index * header.offsetSize()).offset(header.dwarf64());
        return base + rel;
    }

    /**
     * Whether a variable or parameter of this unit has a location list (DW_AT_location of form
     * sec_offset or loclistx; data4/data8 before DWARF 4): what gdb calls a unit's
     * {@code has_loclist}, the sign that it was optimized. One pass over the unit, on first use.
     */
    public synchronized boolean hasLocationLists() {
        if (hasLocationLists == null) {
            hasLocationLists = scanForLocationLists();
        }
        return hasLocationLists;
    }

    private boolean scanForLocationLists() {
        DwarfCursor c = cursor().seek(header.firstDieOffset());
        long end = header.endOffset();
        while (c.position() < end) { // each DIE (or null entry) reads at least its code byte
            Die d = readDie(c);
            if (d != null && (d.tag() == DwTag.VARIABLE || d.tag() == DwTag.FORMAL_PARAMETER) && d.has(DwAt.LOCATION)) {
                int form = d.form(DwAt.LOCATION);
                if (form == DwForm.SEC_OFFSET || form == DwForm.LOCLISTX
                        || (header.version() < 4 && (form == DwForm.DATA4 || form == DwForm.DATA8))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Unit@0x" + Long.toHexString(header.offset()) + "(" + name() + ")";
    }
}
