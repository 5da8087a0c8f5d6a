package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every subprogram with code in a {@link DebugInfo}, by address (innermost function wins) and by
 * name (plain, qualified, linkage and demangled-without-parameters). Built by one pass over all
 * DIEs; per-function variables are read later, on demand.
 */
public final class FunctionIndex {
    private final DebugInfo info;
    private final List<Function> functions;
    private final AddressMap<Function> byAddress;
    private final Map<String, List<Function>> byName;

    private FunctionIndex(DebugInfo info, List<Function> functions) {
        this.info = info;
        this.functions = Collections.unmodifiableList(functions);
        AddressMap.Builder<Function> b = new AddressMap.Builder<>();
        Map<String, List<Function>> names = new HashMap<>();
        for (Function f : functions) {
            for (AddressRange r : f.ranges()) {
                b.add(r.low(), r.high(), f);
            }
            Set<String> keys = new LinkedHashSet<>();
            keys.add(f.name());
            keys.add(f.qualifiedName());
            keys.add(f.linkageName());
            keys.remove(null);
            for (String k : keys) {
                names.computeIfAbsent(k, x -> new ArrayList<>(1)).add(f);
            }
        }
        this.byAddress = b.build();
        this.byName = names;
    }

    public static FunctionIndex build(DebugInfo info) {
        return build(info, info.units());
    }

    /**
     * The functions of some units only: what an address lookup needs (the unit that
     * {@link DebugInfo#unitAt} names), without reading the rest of a large program or library.
     */
    public static FunctionIndex build(DebugInfo info, List<Unit> units) {
        Map<Long, String> qualified = new HashMap<>();
        List<Die> concrete = new ArrayList<>();
        for (Unit u : units) {
            if (!u.header().isTypeUnit() && u.header().unitType() != UnitHeader.DW_UT_SKELETON) {
                scanUnit(u, qualified, concrete);
            }
        }
        NameResolver names = new NameResolver(info, qualified);
        ScopeBuilder scopes = new ScopeBuilder(names);
        List<Function> functions = new ArrayList<>(concrete.size());
        for (Die d : concrete) {
            List<AddressRange> ranges = d.ranges();
            if (ranges.isEmpty()) {
                continue;
            }
            long entry = d.has(DwAt.ENTRY_PC) && !DwForm.isConstant(d.form(DwAt.ENTRY_PC))
                    ? d.unsigned(DwAt.ENTRY_PC, 0)
                    : d.unsigned(DwAt.LOW_PC, ranges.get(0).low());
            functions.add(new Function(d.offset(), names.resolve(d), List.copyOf(ranges), entry,
                    d.block(DwAt.FRAME_BASE), d.unsigned(DwAt.EXTERNAL, 0) != 0, d.unit(), scopes));
        }
        return new FunctionIndex(info, functions);
    }

    /**
     * One pass over a unit's DIEs with a stack of name prefixes: namespaces, classes, structs,
     * unions and enums add "name::". Subprograms nested in such scopes get their qualified name
     * recorded; subprograms with code (low_pc or ranges, not declarations) are collected.
     */
    private static void scanUnit(Unit u, Map<Long, String> qualified, List<Die> concrete) {
        boolean plainC = isC(u.language());
        DwarfCursor c = u.cursor().seek(u.header().firstDieOffset());
        List<String> prefixes = new ArrayList<>();
        prefixes.add("");
        long end = u.header().endOffset();
        while (c.position() < end) { // each DIE (or null entry) reads at least its code byte
            Die d = u.readDie(c);
            if (d == null) {
                if (prefixes.size() > 1) {
                    prefixes.remove(prefixes.size() - 1);
                }
                continue;
            }
            String prefix = prefixes.get(prefixes.size() - 1);
            String childPrefix = prefix;
            switch (d.tag()) {
                case DwTag.NAMESPACE -> {
                    String n = d.name();
                    childPrefix = prefix + (n == null ? "(anonymous namespace)" : n) + "::";
                }
                case DwTag.CLASS_TYPE, DwTag.STRUCTURE_TYPE, DwTag.UNION_TYPE, DwTag.ENUMERATION_TYPE -> {
                    if (plainC) { // C types hold members, never functions: jump over them
                        u.skipChildren(c, d);
                        continue;
                    }
                    String n = d.name();
                    if (n != null) {
                        childPrefix = prefix + n + "::";
                    }
                }
                case DwTag.SUBPROGRAM -> {
                    String n = d.name();
                    if (n != null && !prefix.isEmpty()) {
                        qualified.put(d.offset(), prefix + n);
                    }
                    if ((d.has(DwAt.LOW_PC) || d.has(DwAt.RANGES)) && !d.has(DwAt.DECLARATION)) {
                        concrete.add(d);
                    }
                    // A C function's parameters, locals and blocks are read with its scope, later:
                    // jump over them (DW_AT_sibling), most of a unit's DIEs. (C++ functions can
                    // hold local classes whose member functions have code: lambdas.)
                    if (plainC) {
                        u.skipChildren(c, d);
                        continue;
                    }
                }
                default -> {
                }
            }
            if (d.hasChildren()) {
                prefixes.add(childPrefix);
            }
        }
    }

    /** DW_LANG_C89, C, C99, C11, C17 (DWARF 5 section 7.12). */
    private static boolean isC(int language) {
        return language == 0x1 || language == 0x2 || language == 0xc || language == 0x1d || language == 0x2c;
    }

    public DebugInfo debugInfo() {
        return info;
    }

    public List<Function> functions() {
        return functions;
    }

    /** The innermost function whose code contains {@code address}, or null. */
    public Function functionAt(long address) {
        return byAddress.get(address);
    }

    /** Functions whose plain name, qualified name ({@code geo::Rect::area}) or linkage name is {@code name}. */
    public List<Function> functionsNamed(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /**
     * The inlined calls whose code contains {@code address}, innermost first; empty when the
     * address is in no function or in no inlined code.
     */
    public List<InlinedCall> inlineChain(long address) {
        Function f = functionAt(address);
        if (f == null) {
            return List.of();
        }
        List<InlinedCall> chain = new ArrayList<>();
        collect(f.scope(), address, chain);
        Collections.reverse(chain);
        return chain;
    }

    /** Descends into the child scopes containing the address; blocks without ranges are transparent. */
    private static void collect(Scope scope, long address, List<InlinedCall> outerFirst) {
        for (Scope child : scope.children()) {
            boolean transparent = child.kind() == Scope.Kind.LEXICAL_BLOCK && child.ranges().isEmpty();
            if (transparent || child.contains(address)) {
                int before = outerFirst.size();
                if (child.inlined() != null) {
                    outerFirst.add(child.inlined());
                }
                collect(child, address, outerFirst);
                if (!transparent || outerFirst.size() > before) {
                    return;
                }
            }
        }
    }

    /** The innermost scopes (function, blocks, inlined calls) containing the address, outermost first. */
    public List<Scope> scopesAt(long address) {
        Function f = functionAt(address);
        if (f == null) {
            return List.of();
        }
        List<Scope> out = new ArrayList<>();
        out.add(f.scope());
        Scope cur = f.scope();
        boolean descended = true;
        while (descended) {
            descended = false;
            for (Scope child : cur.children()) {
                if (child.contains(address)) {
                    out.add(child);
                    cur = child;
                    descended = true;
                    break;
                }
            }
        }
        return out;
    }
}
