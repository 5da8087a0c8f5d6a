package dev.quiesce.values.stl;

import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code std::unique_ptr}, {@code shared_ptr}, {@code weak_ptr}. Counts, libstdc++: the control
 * block ({@code _Sp_counted_base}) is a vtable pointer, then int use and weak counts, the weak
 * count one higher while any owner lives. libc++: ({@code __shared_weak_count}) a vtable pointer,
 * then long owners and weak owners, each one lower than the count it stands for.
 */
final class SmartPointers implements Family {
    @Override
    public Set<String> templates() {
        return Set.of("unique_ptr", "shared_ptr", "weak_ptr");
    }

    @Override
    public StlView view(Obj o) {
        Type target = o.arg(0);
        String name = "std::" + o.template() + "<" + Names.pretty(target) + ">";
        if (o.template().equals("unique_ptr")) {
            Value p = o.libcxx() ? o.first(o.field("__ptr_")) : headImpl(o, o.field("_M_t"), 0);
            return new Pointer(o, name, p, target);
        }
        Value p = o.field(o.libcxx() ? "__ptr_" : "_M_ptr");
        long control = o.libcxx() ? o.field("__cntrl_").asLong() : o.field("_M_refcount", "_M_pi").asLong();
        String state;
        long use = 0;
        if (control == 0) {
            state = "empty";
        } else {
            long weak;
            if (o.libcxx()) {
                use = o.word(control + 8) + 1;
                weak = o.word(control + 16) + 1; // weak owners + 1: the weak_ptrs, plus one while owners live
            } else {
                long counts = o.word(control + 8);
                use = (int) counts;
                weak = (int) (counts >>> 32);
            }
            state = use == 0 ? "expired, weak count " + weak : "use count " + use + ", weak count " + (weak - 1);
        }
        long uses = use;
        return new Pointer(o, name + " (" + state + ")", p, target) {
            @Override
            public Optional<Value> call(String method) {
                return method.equals("use_count") ? Optional.of(Value.ofLong(Type.LONG, uses)) : super.call(method);
            }
        };
    }

    /** libstdc++'s unique_ptr keeps a std::tuple of pointer and deleter: the pointer is the _Head_base's _M_head_impl that is a pointer. */
    private static Value headImpl(Obj o, Value v, int depth) {
        if (depth > 8) {
            throw new UnknownLayout("no pointer in std::unique_ptr");
        }
        for (Member m : v.type().strip().members()) {
            if (m.isStatic()) {
                continue;
            }
            if ("_M_head_impl".equals(m.name()) && m.type().strip().kind() == Type.Kind.POINTER) {
                return o.values().member(v, m);
            }
            Type.Kind k = m.type().strip().kind();
            if (k == Type.Kind.STRUCT || k == Type.Kind.CLASS) {
                try {
                    return headImpl(o, o.values().member(v, m), depth + 1);
                } catch (UnknownLayout notHere) {
                    // the deleter's side
                }
            }
        }
        throw new UnknownLayout("no pointer in std::unique_ptr");
    }

    private static class Pointer implements StlView {
        private final Obj o;
        private final String head;
        private final Value pointer;
        private final Type target;

        Pointer(Obj o, String head, Value pointer, Type target) {
            this.o = o;
            this.head = head;
            this.pointer = pointer;
            this.target = target;
        }

        @Override
        public String head() {
            return head;
        }

        @Override
        public Hint hint() {
            return Hint.NAMED;
        }

        @Override
        public long size() {
            return 1;
        }

        @Override
        public List<Child> children(long start, int count) {
            return start == 0 && count > 0 ? List.of(new Child("get()", null, pointer)) : List.of();
        }

        @Override
        public Optional<Value> deref() {
            if (pointer.asLong() == 0) {
                throw new ValueException("the " + head.replaceAll(" \\(.*", "") + " is null");
            }
            return Optional.of(o.at(target, pointer.asLong()));
        }

        @Override
        public Optional<Value> call(String method) {
            return method.equals("get") ? Optional.of(pointer) : Optional.empty();
        }
    }
}
