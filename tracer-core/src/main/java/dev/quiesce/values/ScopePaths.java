package dev.quiesce.values;

import dev.quiesce.symbols.dwarf.Die;
import dev.quiesce.symbols.dwarf.Unit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The namespaces and classes enclosing a DIE ({@code std}, {@code __cxx11} for
 * {@code std::__cxx11::basic_string}), for C++ qualified names. A unit's DIEs are a tree laid
 * out in order, so a DIE lies in the subtree of the last sibling at or before its offset: each
 * level is one binary search among that scope's children, which are read once per unit and
 * kept. Walking the unit from its root for every type instead cost a scan of everything before
 * the type (most of libstdc++'s headers for a std::map's node type), per type, per session.
 *
 * <p>Threads: any; each unit's tree is built under its own lock.
 */
final class ScopePaths {
    /** Namespaces nested deeper than this (only corrupt DWARF has them) are not searched: the Java stack is finite. */
    private static final int MAX_NESTING = 256;
    /** Kept as long as the unit's debug information is (TypeReader's and Globals' caches keep that for the process). */
    private static final Map<Unit, Level> ROOTS = new ConcurrentHashMap<>();

    private ScopePaths() {}

    /** One scope's children in offset order, and the scopes among them once descended into. */
    private static final class Level {
        final long[] offsets;
        final Die[] children;
        final Level[] below;

        Level(List<Die> dies) {
            children = dies.toArray(new Die[0]);
            offsets = new long[children.length];
            for (int i = 0; i < children.length; i++) {
                offsets[i] = children[i].offset();
            }
            below = new Level[children.length];
        }
    }

    /**
     * Appends to {@code path} the names of the scopes (namespace, struct, class) that enclose the
     * DIE at {@code target} in {@code unit} and answers true; false (path untouched) when the DIE
     * is not a child of the root or of such a scope (a type local to a function, say).
     */
    static boolean find(Unit unit, long target, List<String> path) {
        Level root = ROOTS.computeIfAbsent(unit, u -> new Level(u.root().children()));
        List<String> found = new ArrayList<>();
        synchronized (root) { // the unit's root level guards the levels below it
            Level level = root;
            for (int depth = 0; depth <= MAX_NESTING; depth++) {
                int i = Arrays.binarySearch(level.offsets, target);
                if (i >= 0) {
                    path.addAll(found);
                    return true;
                }
                int before = -i - 2; // the last child that starts before the target
                if (before < 0) {
                    return false;
                }
                Die scope = level.children[before];
                if (!isScope(scope) || !scope.hasChildren()) {
                    return false;
                }
                found.add(scope.string(Dw.AT_NAME) == null ? "(anonymous namespace)" : scope.string(Dw.AT_NAME));
                if (level.below[before] == null) {
                    level.below[before] = new Level(scope.children());
                }
                level = level.below[before];
            }
        }
        return false;
    }

    private static boolean isScope(Die d) {
        int tag = d.tag();
        return tag == Dw.TAG_NAMESPACE || tag == Dw.TAG_STRUCTURE_TYPE || tag == Dw.TAG_CLASS_TYPE;
    }
}
