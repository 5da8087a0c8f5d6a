package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.List;

/** Reads the variables, lexical blocks and inlined calls under a subprogram DIE into a {@link Scope} tree. */
final class ScopeBuilder {
    private final NameResolver names;

    ScopeBuilder(NameResolver names) {
        this.names = names;
    }

    /**
     * Nesting of blocks and inlined calls read: real code nests a few dozen deep; corrupt DWARF
     * nesting a DIE per two bytes would otherwise overflow the Java stack. Deeper ones are left out.
     */
    static final int MAX_NESTING = 512;

    Scope build(Die d, Scope.Kind kind) {
        return build(d, kind, 0);
    }

    private Scope build(Die d, Scope.Kind kind, int nesting) {
        List<Variable> vars = new ArrayList<>();
        List<Scope> children = new ArrayList<>();
        for (Die child : d.children()) {
            switch (child.tag()) {
                case DwTag.FORMAL_PARAMETER, DwTag.VARIABLE -> vars.add(variable(child));
                case DwTag.LEXICAL_BLOCK, DwTag.INLINED_SUBROUTINE -> {
                    if (nesting < MAX_NESTING) {
                        children.add(build(child, child.tag() == DwTag.LEXICAL_BLOCK ? Scope.Kind.LEXICAL_BLOCK
                                : Scope.Kind.INLINED_SUBROUTINE, nesting + 1));
                    }
                }
                default -> {
                }
            }
        }
        InlinedCall inlined = kind == Scope.Kind.INLINED_SUBROUTINE ? inlinedCall(d) : null;
        return new Scope(kind, d.offset(), d.ranges(), List.copyOf(vars), List.copyOf(children), inlined);
    }

    private Variable variable(Die d) {
        NameResolver.Names n = names.resolve(d);
        return new Variable(d.offset(), n.name(), d.tag() == DwTag.FORMAL_PARAMETER, n.typeOffset(),
                Location.of(d), d.value(DwAt.CONST_VALUE), n.declFile(), n.declLine());
    }

    private InlinedCall inlinedCall(Die d) {
        NameResolver.Names n = names.resolve(d);
        List<AddressRange> ranges = d.ranges();
        long entry = d.unsigned(DwAt.ENTRY_PC, ranges.isEmpty() ? -1 : ranges.get(0).low());
        if (d.form(DwAt.ENTRY_PC) != 0 && DwForm.isConstant(d.form(DwAt.ENTRY_PC))) {
            // DWARF 5 section 2.18: a constant entry_pc is an offset from the DIE's base address.
            entry = (ranges.isEmpty() ? 0 : d.unsigned(DwAt.LOW_PC, minLow(ranges))) + d.unsigned(DwAt.ENTRY_PC, 0);
        }
        return new InlinedCall(d.offset(), d.reference(DwAt.ABSTRACT_ORIGIN), n.name(), n.qualifiedName(), n.linkageName(),
                (int) d.unsigned(DwAt.CALL_FILE, 0), (int) d.unsigned(DwAt.CALL_LINE, 0),
                (int) d.unsigned(DwAt.CALL_COLUMN, 0), ranges, entry, d.unit());
    }

    private static long minLow(List<AddressRange> ranges) {
        long min = ranges.get(0).low();
        for (AddressRange r : ranges) {
            min = Math.min(min, r.low());
        }
        return min;
    }
}
