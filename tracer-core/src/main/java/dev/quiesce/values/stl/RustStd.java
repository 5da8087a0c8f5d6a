package dev.quiesce.values.stl;

import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.ValueFormatter;
import dev.quiesce.values.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rust's standard library as rust-gdb's printers show it (issue 15): {@code String} and
 * {@code &str} as {@code "text"}, {@code Vec(size=3) = {...}}, slices, {@code VecDeque},
 * {@code Rc}/{@code Arc} with their counts, {@code Cell}/{@code RefCell}, {@code OsString} (so {@code PathBuf}'s inner), hashbrown's
 * {@code HashMap}/{@code HashSet} and {@code BTreeMap}/{@code BTreeSet}. Types are told by their path, which rustc writes in the
 * unit's namespaces; only types of Rust units ({@link Type#rust()}) are looked at.
 */
final class RustStd {
    /** Members followed to find a pointer or number inside wrappers (Unique, NonNull, UsizeNoHighBit): ends corrupt nesting. */
    private static final int MAX_WRAPPING = 8;

    private RustStd() {
    }

    /** The path of a type without its generic arguments: {@code alloc::vec::Vec}. */
    static String path(Type t) {
        String name = t.strip().rawName();
        if (name == null) {
            return "";
        }
        int lt = name.indexOf('<');
        return lt < 0 ? name : name.substring(0, lt);
    }

    static boolean knows(Type t) {
        Type s = t.strip();
        if (!s.rust() || s.kind() != Type.Kind.STRUCT) {
            return false;
        }
        String name = s.rawName() == null ? "" : s.rawName();
        return switch (path(s)) {
            case "alloc::string::String", "alloc::vec::Vec", "alloc::collections::vec_deque::VecDeque", "alloc::rc::Rc",
                    "alloc::sync::Arc", "core::cell::Cell", "core::cell::RefCell", "std::collections::hash::map::HashMap",
                    "std::collections::hash::set::HashSet", "std::ffi::os_str::OsString", "alloc::collections::btree::map::BTreeMap",
                    "alloc::collections::btree::set::BTreeSet" -> true;
            default -> name.equals("&str") || name.equals("&mut str") || name.startsWith("&[") || name.startsWith("&mut [");
        };
    }

    static Optional<StlView> view(Values values, Value v) {
        if (!knows(v.type())) {
            return Optional.empty();
        }
        Obj o = new Obj(values, v, path(v.type()), false);
        String name = o.type().rawName();
        if (name.equals("&str") || name.equals("&mut str")) {
            return Optional.of(string(o, o.field("data_ptr").asLong(), o.field("length").asLong()));
        }
        if (name.startsWith("&")) {
            Value data = o.field("data_ptr");
            return Optional.of(contiguous(o, name + "(size=", data.type().strip().target(), data.asLong(), o.field("length").asLong()));
        }
        return Optional.of(switch (o.template()) {
            case "alloc::string::String" -> {
                Value vec = o.field("vec");
                yield string(o, pointer(o, o.field(vec, "buf")), number(o, o.field(vec, "len")));
            }
            case "std::ffi::os_str::OsString" -> { // bytes on Unix: Buf { inner: Vec<u8> }
                Value vec = o.field("inner", "inner");
                yield string(o, pointer(o, o.field(vec, "buf")), number(o, o.field(vec, "len")));
            }
            case "alloc::vec::Vec" -> contiguous(o, "Vec(size=", o.arg(0), pointer(o, o.field("buf")), number(o, o.field("len")));
            case "alloc::collections::vec_deque::VecDeque" -> deque(o);
            case "alloc::rc::Rc", "alloc::sync::Arc" -> counted(o);
            case "core::cell::Cell" -> named(null, "Cell", List.of(new StlView.Child("value", null, unwrap(o, o.field("value")))));
            case "core::cell::RefCell" -> {
                Value borrow = o.field("borrow");
                long n = number(o, borrow);
                yield named(null, "RefCell(borrow=" + n + ")", List.of(new StlView.Child("value", null, unwrap(o, o.field("value"))),
                        new StlView.Child("borrow", null, Value.ofLong(Type.LONG, n))));
            }
            case "alloc::collections::btree::map::BTreeMap", "alloc::collections::btree::set::BTreeSet" -> BTrees.view(o);
            default -> HashTables.view(o);
        });
    }

    /** The first pointer inside a value, through single-purpose wrappers (RawVec, Unique, NonNull). */
    static long pointer(Obj o, Value v) {
        Value at = v;
        for (int i = 0; i < MAX_WRAPPING; i++) {
            Type t = at.type().strip();
            if (t.kind() == Type.Kind.POINTER) {
                return at.asLong();
            }
            at = first(o, at);
        }
        throw new UnknownLayout("no pointer inside " + v.type().name());
    }

    /** The first scalar inside a value (Cell&lt;usize&gt;, UsizeNoHighBit, AtomicUsize). */
    static long number(Obj o, Value v) {
        Value at = v;
        for (int i = 0; i < MAX_WRAPPING; i++) {
            Type t = at.type().strip();
            if (t.isInteger()) {
                return at.asLong();
            }
            at = first(o, at);
        }
        throw new UnknownLayout("no number inside " + v.type().name());
    }

    /** The value inside an UnsafeCell (its one member {@code value}). */
    private static Value unwrap(Obj o, Value cell) {
        return o.values().member(cell, "value").orElse(cell);
    }

    private static Value first(Obj o, Value v) {
        Type t = v.type().strip();
        if (t.kind() != Type.Kind.STRUCT) {
            throw new UnknownLayout("not a Rust wrapper: " + v.type().name());
        }
        for (Member m : t.members()) {
            if (!m.isStatic() && m.type().strip().size() > 0) {
                return o.values().member(v, m);
            }
        }
        throw new UnknownLayout("no members in " + v.type().name());
    }

    static StlView string(Obj o, long data, long length) {
        Obj.plausible("a Rust string", length, 1);
        Type u8 = new Type(Type.Kind.INT, "u8", 1, false);
        return new StlView() {
            @Override
            public String head() {
                int n = (int) Math.min(length, Strings.MAX_READ);
                byte[] b = n == 0 ? new byte[0] : o.values().frame().memory().read(data, n);
                String text = ValueFormatter.charArray(b, false);
                return text + (length > b.length && !text.endsWith("...") ? "..." : "");
            }

            @Override
            public Hint hint() {
                return Hint.STRING;
            }

            @Override
            public long size() {
                return 0;
            }

            @Override
            public List<Child> children(long start, int count) {
                return List.of();
            }

            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "len" -> Optional.of(Value.ofLong(usize(), length));
                    case "is_empty" -> Optional.of(Obj.bool(length == 0));
                    case "as_ptr" -> Optional.of(Value.ofLong(Type.pointerTo(u8), data));
                    default -> Optional.empty();
                };
            }
        };
    }

    static Type usize() {
        return new Type(Type.Kind.INT, "usize", 8, false);
    }

    /** n elements from {@code address}: a Vec's or a slice's; the head is {@code prefix + n + ")"}. */
    static StlView contiguous(Obj o, String prefix, Type element, long address, long n) {
        long size = Math.max(1, element.size());
        Obj.plausible(prefix.substring(0, prefix.length() - 6), n, size);
        return new Sequence(o, prefix + n + ")", element, n, i -> address + i * size);
    }

    /** A ring buffer: element i at {@code (head + i) % cap}. */
    private static StlView deque(Obj o) {
        Type element = o.arg(0);
        long head = number(o, o.field("head"));
        long n = number(o, o.field("len"));
        Value buf = o.field("buf");
        long cap = number(o, o.field(o.field(buf, "inner"), "cap"));
        long data = pointer(o, buf);
        long size = Math.max(1, element.size());
        Obj.plausible("VecDeque", n, size);
        Obj.plausible("VecDeque", cap, size);
        if (n > cap || cap > 0 && head >= cap) {
            throw new ValueException("VecDeque with length " + n + ", head " + head + " and capacity " + cap + " (corrupt or not yet constructed)");
        }
        return new Sequence(o, "VecDeque(size=" + n + ")", element, n, i -> data + ((head + i) % Math.max(1, cap)) * size);
    }

    /** Rc and Arc: the allocation's strong and weak counts (weak less the one all strong references share) and the value. */
    private static StlView counted(Obj o) {
        boolean arc = o.template().equals("alloc::sync::Arc");
        long inner = pointer(o, o.field("ptr"));
        Value ptr = o.field(o.field("ptr"), "pointer");
        Type innerType = ptr.type().strip().target();
        if (innerType == null || innerType.strip().kind() != Type.Kind.STRUCT) {
            throw new UnknownLayout("no RcInner behind " + o.typeName());
        }
        Value box = o.at(innerType, inner);
        long strong = number(o, o.field(box, "strong"));
        long weak = number(o, o.field(box, "weak")) - (strong > 0 ? 1 : 0);
        Value value = o.field(box, arc ? "data" : "value");
        String head = (arc ? "Arc" : "Rc") + "(strong=" + strong + ", weak=" + weak + ")";
        return named(value, head, List.of(new StlView.Child("value", null, value),
                new StlView.Child("strong", null, Value.ofLong(usize(), strong)), new StlView.Child("weak", null, Value.ofLong(usize(), weak))));
    }

    static StlView named(Value deref, String head, List<StlView.Child> children) {
        return new StlView() {
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
                return children.size();
            }

            @Override
            public List<Child> children(long start, int count) {
                return children.subList((int) Math.min(start, children.size()), (int) Math.min(children.size(), start + count));
            }

            @Override
            public Optional<Value> deref() {
                return Optional.ofNullable(deref);
            }
        };
    }

    /** Elements at computed addresses, read one page at a time. */
    private record Sequence(Obj o, String head, Type element, long n, java.util.function.LongUnaryOperator address) implements StlView {
        @Override
        public Hint hint() {
            return Hint.ARRAY;
        }

        @Override
        public long size() {
            return n;
        }

        @Override
        public List<Child> children(long start, int count) {
            return Obj.elements(start, count, n, i -> o.at(element, address.applyAsLong(i)), element);
        }

        @Override
        public Optional<Value> index(Value key) {
            return Optional.of(o.at(element, address.applyAsLong(Obj.checkedIndex(key, n, "sequence"))));
        }

        @Override
        public Optional<Value> call(String method) {
            return switch (method) {
                case "len" -> Optional.of(Value.ofLong(usize(), n));
                case "is_empty" -> Optional.of(Obj.bool(n == 0));
                default -> Optional.empty();
            };
        }
    }

    static List<StlView.Child> list(List<Value> vs) {
        List<StlView.Child> out = new ArrayList<>();
        for (int i = 0; i < vs.size(); i++) {
            out.add(new StlView.Child("[" + i + "]", null, vs.get(i)));
        }
        return out;
    }
}
