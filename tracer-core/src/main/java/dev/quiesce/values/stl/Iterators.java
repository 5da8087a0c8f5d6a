package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Iterators of vectors, lists, trees and deques, shown (as gdb's printers show them) as the
 * element they point at; {@code *it} reads it. Element offsets in nodes as in {@link Lists}
 * and {@link Trees}. An end() iterator points at no element: what it shows is not one.
 */
final class Iterators implements Family {
    @Override
    public Set<String> templates() {
        return Set.of("__normal_iterator", "_List_iterator", "_List_const_iterator", "_Rb_tree_iterator",
                "_Rb_tree_const_iterator", "_Deque_iterator", "_Fwd_list_iterator", "_Fwd_list_const_iterator",
                "__wrap_iter", "__list_iterator", "__list_const_iterator", "__tree_iterator", "__tree_const_iterator",
                "__map_iterator", "__map_const_iterator");
    }

    @Override
    public StlView view(Obj o) {
        Value element = switch (o.template()) {
            case "__normal_iterator" -> pointee(o, o.field("_M_current"));
            case "__wrap_iter" -> pointee(o, o.field("__i_"));
            case "_Deque_iterator" -> pointee(o, o.field("_M_cur"));
            case "_List_iterator", "_List_const_iterator" -> node(o, o.field("_M_node"), 16, o.arg(0));
            case "__list_iterator", "__list_const_iterator" -> node(o, o.field("__ptr_"), 16, o.arg(0));
            case "_Fwd_list_iterator", "_Fwd_list_const_iterator" -> node(o, o.field("_M_node"), 8, o.arg(0));
            case "_Rb_tree_iterator", "_Rb_tree_const_iterator" -> node(o, o.field("_M_node"), 32, o.arg(0));
            case "__tree_iterator", "__tree_const_iterator" -> node(o, o.field("__ptr_"), Trees.LIBCXX_LINKS_END, o.arg(0));
            default -> {
                // libc++ map iterator: a tree iterator over __value_type<K, V>, whose pair is __cc_
                Value tree = o.field("__i_");
                Type valueType = tree.type().strip().templateArguments().get(0);
                Value v = node(o, o.field(tree, "__ptr_"), Trees.LIBCXX_LINKS_END, valueType);
                yield o.has(v, "__cc_") ? o.field(v, "__cc_") : v;
            }
        };
        return new StlView() {
            @Override
            public String head() {
                return null;
            }

            @Override
            public Hint hint() {
                return Hint.ITEM;
            }

            @Override
            public long size() {
                return 1;
            }

            @Override
            public List<Child> children(long start, int count) {
                return start == 0 && count > 0 ? List.of(new Child("*", null, element)) : List.of();
            }

            @Override
            public Optional<Value> deref() {
                return Optional.of(element);
            }
        };
    }

    private static Value pointee(Obj o, Value pointer) {
        Type t = pointer.type().strip().target();
        return Obj.safe(() -> o.at(t, pointer.asLong()), t);
    }

    private static Value node(Obj o, Value node, long links, Type element) {
        return Obj.safe(() -> o.at(element, node.asLong() + Obj.alignUp(links, Obj.alignOf(element))), element);
    }
}
