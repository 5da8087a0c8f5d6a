package dev.quiesce.values.stl;

import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code std::optional}, {@code variant}, {@code tuple}, {@code pair} and {@code function}. */
final class Utilities implements Family {
    @Override
    public Set<String> templates() {
        return Set.of("optional", "variant", "tuple", "pair", "function");
    }

    @Override
    public StlView view(Obj o) {
        return switch (o.template()) {
            case "optional" -> optional(o);
            case "variant" -> variant(o);
            case "tuple" -> tuple(o);
            case "pair" -> new Fixed(null, StlView.Hint.NAMED, List.of(
                    new StlView.Child("first", null, o.field("first")), new StlView.Child("second", null, o.field("second"))));
            default -> function(o);
        };
    }

    /** A view of a fixed set of children. */
    private record Fixed(String head, Hint hint, List<Child> all) implements StlView {
        @Override
        public long size() {
            return all.size();
        }

        @Override
        public List<Child> children(long start, int count) {
            int from = (int) Math.min(start, all.size());
            return all.subList(from, (int) Math.min(all.size(), from + (long) count));
        }
    }

    /**
     * A holder of one value (optional, variant): gdb shows a contained object that has a printer
     * with children as {@code <head> containing <its head>} and those children.
     */
    private static StlView holding(Obj o, String head, Value contained, String childName, StlView.Hint hint) {
        Optional<StlView> inner = StlFormatters.viewOrRaw(o.values(), contained);
        if (inner.isPresent() && inner.get().hint() != StlView.Hint.STRING && inner.get().hint() != StlView.Hint.ITEM
                && !inner.get().rawText()) {
            StlView in = inner.get();
            return new StlView() {
                @Override
                public String head() {
                    return head + " containing " + in.head();
                }

                @Override
                public Hint hint() {
                    return in.hint();
                }

                @Override
                public long size() {
                    return in.size();
                }

                @Override
                public List<Child> children(long start, int count) {
                    return in.children(start, count);
                }

                @Override
                public Optional<Value> deref() {
                    return Optional.of(contained);
                }
            };
        }
        return new Fixed(head, hint, List.of(new StlView.Child(childName, null, contained)));
    }

    private static StlView optional(Obj o) {
        String head = "std::optional<" + Names.pretty(o.arg(0)) + ">";
        boolean engaged = o.libcxx() ? o.field("__engaged_").isTrue() : o.field("_M_payload", "_M_engaged").isTrue();
        if (!engaged) {
            return new Fixed(head + " [no contained value]", StlView.Hint.NAMED, List.of());
        }
        Value v = o.libcxx() ? o.field("__val_") : o.field("_M_payload", "_M_payload", "_M_value");
        StlView view = holding(o, head, v, "[contained value]", StlView.Hint.NAMED);
        return new Delegate(view) {
            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "value" -> Optional.of(v);
                    case "has_value" -> Optional.of(Obj.bool(true));
                    default -> Optional.empty();
                };
            }

            @Override
            public Optional<Value> deref() {
                return Optional.of(v);
            }
        };
    }

    /** The alternatives share storage at the start of the union ({@code _M_u}, libc++ {@code __data}). */
    private static StlView variant(Obj o) {
        List<Type> alternatives = o.type().templateArguments();
        List<String> names = new ArrayList<>();
        for (Type t : alternatives) {
            names.add(Names.pretty(t));
        }
        String head = "std::variant<" + String.join(", ", names) + ">";
        Value storage = o.libcxx() ? o.field("__impl_", "__data") : o.field("_M_u");
        long index = o.libcxx() ? o.field("__impl_", "__index").asLong() : o.field("_M_index").asLong();
        if (index < 0 || index >= alternatives.size() || !storage.hasAddress()) {
            return new Fixed(head + " [no contained value]", StlView.Hint.ARRAY, List.of());
        }
        Value v = o.at(alternatives.get((int) index), storage.address());
        StlView view = holding(o, head + " [index " + index + "]", v, "[contained value]", StlView.Hint.ARRAY);
        return new Delegate(view) {
            @Override
            public Optional<Value> call(String method) {
                return method.equals("index") ? Optional.of(Obj.ulong(index)) : Optional.empty();
            }
        };
    }

    /**
     * libstdc++: {@code _Tuple_impl<i, ...>} derives from {@code _Tuple_impl<i+1, ...>} and
     * {@code _Head_base<i, T>} (element in {@code _M_head_impl}); libc++: {@code __base_} derives
     * from one {@code __tuple_leaf<i, T>} per element ({@code __value_}).
     */
    private static StlView tuple(Obj o) {
        List<StlView.Child> elements = new ArrayList<>();
        if (o.libcxx()) {
            Value base = o.field("__base_");
            for (Member m : base.type().strip().members()) {
                if (m.inheritance() && m.type().strip().rawName() != null && m.type().strip().rawName().contains("__tuple_leaf<")) {
                    elements.add(new StlView.Child("[" + (elements.size() + 1) + "]", null, o.field(o.values().member(base, m), "__value_")));
                }
            }
        } else {
            Value impl = o.value();
            for (int depth = 0; impl != null && depth < 64; depth++) {
                Value next = null;
                for (Member m : impl.type().strip().members()) {
                    String n = m.inheritance() ? m.type().strip().rawName() : null;
                    if (n != null && n.startsWith("std::_Head_base<")) {
                        elements.add(new StlView.Child("[" + (elements.size() + 1) + "]", null,
                                o.field(o.values().member(impl, m), "_M_head_impl")));
                    } else if (n != null && n.startsWith("std::_Tuple_impl<")) {
                        next = o.values().member(impl, m);
                    }
                }
                impl = next;
            }
        }
        return new Fixed(elements.isEmpty() ? "empty std::tuple" : "std::tuple containing", StlView.Hint.NAMED, elements);
    }

    /**
     * gdb 13 has no std::function printer; ours shows the target. libstdc++ keeps a stored
     * function pointer in the first word of {@code _M_functor}; any other target (a lambda, a
     * functor) is named by the manager function's symbol, {@code _Function_handler<Sig, Target>::_M_manager}.
     */
    private static StlView function(Obj o) {
        String head = "std::function<" + o.arg(0).name() + ">";
        if (o.libcxx()) {
            return libcxxFunction(o, head);
        }
        Value manager = o.field("_M_manager");
        if (manager.asLong() == 0) {
            return new Fixed(head + " (empty)", StlView.Hint.NAMED, List.of());
        }
        String handler = o.values().frame().symbolAt(manager.asLong()).orElse("");
        Value functor = o.field("_M_functor");
        Value target = handler.contains("(*)(") && functor.hasAddress()
                ? Value.ofLong(Type.pointerTo(o.arg(0)), o.word(functor.address())) : manager;
        return new Fixed(head, StlView.Hint.NAMED, List.of(new StlView.Child("[target]", null, target)));
    }

    /**
     * libc++ 16: {@code __f_.__f_} points at the polymorphic {@code __func<Target, Alloc, Sig>}
     * (in {@code __buf_} when small), null when empty; the target is stored right after the
     * vtable pointer. The vtable's symbol (a data symbol) is not looked up here: a target whose
     * first word is the start of a function is taken as a function pointer target; any other
     * target is shown as the vtable pointer (as libstdc++'s is by its manager).
     */
    private static StlView libcxxFunction(Obj o, String head) {
        long base = o.field("__f_", "__f_").asLong();
        if (base == 0) {
            return new Fixed(head + " (empty)", StlView.Hint.NAMED, List.of());
        }
        long vptr = o.word(base);
        long stored = o.word(base + 8);
        boolean function = o.values().frame().symbolAt(stored).map(n -> !n.contains("+")).orElse(false);
        Value target = function ? Value.ofLong(Type.pointerTo(o.arg(0)), stored) : Value.ofLong(Type.pointerTo(Type.ULONG), vptr);
        return new Fixed(head, StlView.Hint.NAMED, List.of(new StlView.Child("[target]", null, target)));
    }

    /** A view passing everything to another, for adding methods. */
    private static class Delegate implements StlView {
        private final StlView inner;

        Delegate(StlView inner) {
            this.inner = inner;
        }

        @Override
        public String head() {
            return inner.head();
        }

        @Override
        public Hint hint() {
            return inner.hint();
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public List<Child> children(long start, int count) {
            return inner.children(start, count);
        }
    }
}
