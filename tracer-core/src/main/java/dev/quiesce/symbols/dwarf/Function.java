package dev.quiesce.symbols.dwarf;

import java.util.List;

/**
 * A DW_TAG_subprogram with code. Names follow DW_AT_specification / DW_AT_abstract_origin;
 * {@code qualifiedName} adds the C++ namespace and class nesting; {@code declFile} indexes the
 * file table of the line program at {@link #stmtList()}. Variables and blocks are read on first
 * use of {@link #scope()}.
 */
public final class Function {
    private final long dieOffset;
    private final String name;
    private final String qualifiedName;
    private final String linkageName;
    private final int declFile;
    private final int declLine;
    private final List<AddressRange> ranges;
    private final long entryPc;
    private final byte[] frameBase;
    private final boolean external;
    private final Unit unit;
    private final ScopeBuilder scopes;
    private String demangled;
    private Scope scope;

    Function(long dieOffset, NameResolver.Names names, List<AddressRange> ranges, long entryPc, byte[] frameBase,
             boolean external, Unit unit, ScopeBuilder scopes) {
        this.dieOffset = dieOffset;
        this.name = names.name();
        this.qualifiedName = names.qualifiedName();
        this.linkageName = names.linkageName();
        this.declFile = names.declFile();
        this.declLine = names.declLine();
        this.ranges = ranges;
        this.entryPc = entryPc;
        this.frameBase = frameBase;
        this.external = external;
        this.unit = unit;
        this.scopes = scopes;
    }

    public long dieOffset() {
        return dieOffset;
    }

    public String name() {
        return name;
    }

    public String qualifiedName() {
        return qualifiedName;
    }

    /** DW_AT_linkage_name (the mangled name), or null for C functions. */
    public String linkageName() {
        return linkageName;
    }

    /** The linkage name demangled by {@code __cxa_demangle}, or null. */
    public synchronized String demangledName() {
        if (demangled == null && linkageName != null) {
            demangled = Demangler.demangle(linkageName);
        }
        return demangled;
    }

    public int declFile() {
        return declFile;
    }

    public int declLine() {
        return declLine;
    }

    /** The code ranges (several for functions split into hot and cold parts). */
    public List<AddressRange> ranges() {
        return ranges;
    }

    /** The entry point: DW_AT_entry_pc, else DW_AT_low_pc, else the lowest range start. */
    public long entryPc() {
        return entryPc;
    }

    public long lowPc() {
        long min = ranges.get(0).low();
        for (AddressRange r : ranges) {
            min = Math.min(min, r.low());
        }
        return min;
    }

    public long highPc() {
        long max = ranges.get(0).high();
        for (AddressRange r : ranges) {
            max = Math.max(max, r.high());
        }
        return max;
    }

    public boolean contains(long address) {
        for (AddressRange r : ranges) {
            if (r.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The DW_AT_frame_base expression (often DW_OP_call_frame_cfa), or null. */
    public byte[] frameBase() {
        return frameBase == null ? null : frameBase.clone();
    }

    public boolean isExternal() {
        return external;
    }

    public Unit unit() {
        return unit;
    }

    public String compDir() {
        return unit.compDir();
    }

    public String unitName() {
        return unit.name();
    }

    public String producer() {
        return unit.producer();
    }

    public int language() {
        return unit.language();
    }

    public long stmtList() {
        return unit.stmtList();
    }

    /** The parameters, locals, lexical blocks and inlined calls of this function (read once). */
    public synchronized Scope scope() {
        if (scope == null) {
            scope = scopes.build(unit.die(dieOffset), Scope.Kind.FUNCTION);
        }
        return scope;
    }

    @Override
    public String toString() {
        return qualifiedName + " " + ranges;
    }
}
