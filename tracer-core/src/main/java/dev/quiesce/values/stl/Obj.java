package dev.quiesce.values.stl;

import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.Values;
import java.util.ArrayList;
import java.util.List;

/**
 * One standard-library object being formatted, with the reads every family needs: members by
 * name through base classes, words and typed values at addresses, template arguments.
 * {@code libcxx} says which library's layout it has (its names are in {@code std::__1::}).
 */
record Obj(Values values, Value value, String template, boolean libcxx) {
    /**
     * x86-64 user space is 2^47 bytes: a container claiming more elements than fit there is
     * corrupt (or not initialised yet), and is shown as an error instead of being walked.
     */
    static final long ADDRESS_SPACE = 1L << 47;

    /**
     * Most nodes walked for one request (a list, a tree in order, a hash chain): far more than a
     * Variables page needs, and a cycle in corrupt links ends here instead of looping forever.
     * A real container this large still shows its first pages and its size.
     */
    static final long MAX_WALK = 1L << 22;

    Type type() {
        return value.type().strip();
    }

    /** The object's type name as the program spells it ({@code std::vector<int, std::allocator<int> >}). */
    String typeName() {
        return type().name();
    }

    /** A member by a path of names, each found through base classes; a layout we do not know is an error. */
    Value field(String... path) {
        return field(value, path);
    }

    Value field(Value from, String... path) {
        Value v = from;
        for (String name : path) {
            Value inner = v;
            v = values.member(v, name).orElseThrow(() ->
                    new UnknownLayout("not the " + (libcxx ? "libc++" : "libstdc++") + " layout of std::" + template
                            + ": no member " + name + " in " + inner.type().name()));
        }
        return v;
    }

    /** Whether the object (or a base) has this member: tells layouts of one library's versions apart. */
    boolean has(Value from, String name) {
        return values.member(from, name).isPresent();
    }

    /** The n-th base class of a value (libc++'s compressed pairs keep their two halves as bases). */
    Value base(Value from, int n) {
        int i = 0;
        for (Member m : from.type().strip().members()) {
            if (m.inheritance() && i++ == n) {
                return values.member(from, m);
            }
        }
        throw new UnknownLayout("not the libc++ layout of std::" + template + ": no base " + n + " in " + from.type().name());
    }

    /** The second half of a libc++ {@code __compressed_pair} (the first is its first base's {@code __value_}). */
    Value second(Value pair) {
        Value b = base(pair, 1);
        return values.member(b, "__value_").orElse(b); // an empty class (allocator, less) has no __value_
    }

    Value first(Value pair) {
        return field(base(pair, 0), "__value_");
    }

    Type arg(int i) {
        List<Type> args = type().templateArguments();
        if (i == 0 && args.isEmpty() && type().valueType() != null) {
            return type().valueType(); // gcc describes some iterators without their template parameters
        }
        if (i >= args.size()) {
            throw new UnknownLayout("no template argument " + i + " in the debug information of " + typeName());
        }
        return args.get(i);
    }

    long word(long address) {
        return at(Type.ULONG, address).asLong();
    }

    Value at(Type t, long address) {
        return values.readAt(t, address);
    }

    /** {@code n} elements read in one transfer (a page of a vector): element values sliced from it. */
    List<Value> block(Type element, long address, int n) {
        List<Value> out = new ArrayList<>(n);
        long size = Math.max(1, element.size());
        Value array;
        try {
            array = n == 0 ? null : values.readAt(Type.arrayOf(element, n), address);
        } catch (ValueException e) {
            array = null; // part of the block unreadable: each element alone, the bad ones as errors
        }
        for (int i = 0; i < n; i++) {
            if (array != null) {
                out.add(values.element(array, i));
            } else {
                long a = address + i * size;
                out.add(safe(() -> at(element, a), element));
            }
        }
        return out;
    }

    /** Index {@code key} of a sequence of {@code n} elements, or the error for one outside it. */
    static long checkedIndex(Value key, long n, String container) {
        long i = key.asLong();
        if (i < 0 || i >= n) {
            throw new ValueException("index " + i + " is outside the " + container + " (size " + n + ")");
        }
        return i;
    }

    /** Elements [start, start + count) of a sequence of {@code n}, read one by one; an unreadable one is an error value. */
    static List<StlView.Child> elements(long start, int count, long n, java.util.function.LongFunction<Value> read, Type type) {
        List<StlView.Child> out = new ArrayList<>();
        for (long i = start; i < n && i < start + count; i++) {
            long k = i;
            out.add(new StlView.Child("[" + i + "]", null, safe(() -> read.apply(k), type)));
        }
        return out;
    }

    static Value safe(java.util.function.Supplier<Value> read, Type type) {
        try {
            return read.get();
        } catch (ValueException e) {
            return Value.error(type, e);
        }
    }

    /** A count from the object that cannot be real ({@code n} elements of {@code elementSize} bytes beyond the address space). */
    static void plausible(String what, long n, long elementSize) {
        if (n < 0 || n > ADDRESS_SPACE / Math.max(1, elementSize)) {
            throw new ValueException(what + " has an impossible size " + Long.toUnsignedString(n) + " (corrupt or not yet constructed)");
        }
    }

    /**
     * A type's alignment, which DWARF does not record: the largest scalar inside it, at most 16.
     * Node-based containers put the element after the links at this alignment.
     */
    static long alignOf(Type type) {
        return alignOf(type, 0);
    }

    private static long alignOf(Type type, int depth) {
        Type t = type.strip();
        if (depth > 32) {
            return 8;
        }
        return switch (t.kind()) {
            case ARRAY -> alignOf(t.target(), depth + 1);
            case STRUCT, CLASS, UNION -> {
                long a = 1;
                for (Member m : t.members()) {
                    if (!m.isStatic()) {
                        a = Math.max(a, alignOf(m.type(), depth + 1));
                    }
                }
                yield a;
            }
            default -> Math.max(1, Math.min(16, Long.highestOneBit(Math.max(1, t.size()))));
        };
    }

    static long alignUp(long offset, long align) {
        return (offset + align - 1) / align * align;
    }

    static Value ulong(long n) {
        return Value.ofLong(Type.ULONG, n);
    }

    static Value bool(boolean b) {
        return Value.ofLong(new Type(Type.Kind.BOOL, "bool", 1, false), b ? 1 : 0);
    }
}
