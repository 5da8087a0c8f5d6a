package dev.quiesce.values;

import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Die;
import dev.quiesce.symbols.dwarf.Unit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The global and file-static variables of a module (DW_TAG_variable at unit level and in
 * namespaces, with a location), indexed once per {@code .debug_info}. C++ static members are
 * definitions whose DW_AT_specification names the declaration in the class.
 */
public final class Globals {
    /** One variable definition; {@code qualifiedName} has its namespaces/classes ({@code geo::Base::instances}). */
    public record Global(String name, String qualifiedName, long dieOffset, long unitOffset, long typeOffset,
                         byte[] location, Object constValue, boolean external) {
    }

    private static final Map<DebugInfo, Globals> CACHE = new ConcurrentHashMap<>();

    private final List<Global> all;

    private Globals(List<Global> all) {
        this.all = all;
    }

    public static Globals of(DebugInfo info) {
        return CACHE.computeIfAbsent(info, Globals::index);
    }

    public List<Global> all() {
        return all;
    }

    public List<Global> ofUnit(long unitOffset) {
        return all.stream().filter(g -> g.unitOffset() == unitOffset).toList();
    }

    /** By simple or qualified name: the given unit's own first (its statics shadow other units' globals). */
    public List<Global> named(String name, long preferredUnit) {
        List<Global> out = new ArrayList<>();
        for (Global g : all) {
            if (g.name().equals(name) || g.qualifiedName().equals(name)) {
                out.add(g);
            }
        }
        out.sort((a, b) -> Boolean.compare(a.unitOffset() != preferredUnit, b.unitOffset() != preferredUnit));
        return out;
    }

    private static Globals index(DebugInfo info) {
        List<Global> out = new ArrayList<>();
        for (Unit u : info.units()) {
            try {
                scan(u, u.root(), "", out, 0);
            } catch (RuntimeException e) {
                // a unit we cannot read contributes nothing
            }
        }
        return new Globals(Collections.unmodifiableList(out));
    }

    /** Namespaces nested deeper are not scanned: only corrupt DWARF has them, and the Java stack is finite. */
    private static final int MAX_NAMESPACE_NESTING = 256;

    private static void scan(Unit u, Die parent, String prefix, List<Global> out, int nesting) {
        for (Die d : parent.children()) {
            if (d.tag() == Dw.TAG_NAMESPACE && nesting < MAX_NAMESPACE_NESTING) {
                String n = d.string(Dw.AT_NAME);
                scan(u, d, prefix + (n == null ? "(anonymous namespace)" : n) + "::", out, nesting + 1);
            } else if (d.tag() == Dw.TAG_VARIABLE && (d.has(Dw.AT_LOCATION) || d.has(Dw.AT_CONST_VALUE))) {
                Die named = d;
                String qualified = null;
                long spec = d.reference(Dw.AT_SPECIFICATION);
                if (spec >= 0) {
                    named = u.debugInfo().die(spec);
                    List<String> path = new ArrayList<>();
                    Unit su = named.unit();
                    if (ScopePaths.find(su, spec, path)) {
                        path.add(named.string(Dw.AT_NAME));
                        qualified = String.join("::", path);
                    }
                }
                String name = named.string(Dw.AT_NAME);
                if (name == null) {
                    continue;
                }
                byte[] loc = d.value(Dw.AT_LOCATION) instanceof byte[] b ? b : null;
                long type = d.has(Dw.AT_TYPE) ? d.reference(Dw.AT_TYPE) : named.reference(Dw.AT_TYPE);
                out.add(new Global(name, qualified != null ? qualified : prefix + name, d.offset(), u.offset(), type, loc,
                        d.value(Dw.AT_CONST_VALUE), named.value(Dw.AT_EXTERNAL) != null));
            }
        }
    }
}
