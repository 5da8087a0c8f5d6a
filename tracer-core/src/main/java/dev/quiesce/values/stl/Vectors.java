package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code std::vector} (and {@code vector<bool>}'s bit array) and {@code std::array}: contiguous
 * elements, so any page is computed from the start address and read in one transfer.
 */
final class Vectors implements Family {
    @Override
    public Set<String> templates() {
        return Set.of("vector", "array");
    }

    @Override
    public StlView view(Obj o) {
        if (o.template().equals("array")) {
            Value elems = o.field(o.libcxx() ? "__elems_" : "_M_elems");
            if (!elems.hasAddress()) {
                throw new UnknownLayout("a std::array outside memory");
            }
            return new Contiguous(o, Values.elementType(elems.type()), elems.address(), o.values().length(elems), -1, true);
        }
        boolean bits = o.arg(0).strip().kind() == Type.Kind.BOOL;
        if (bits) {
            return bitVector(o);
        }
        Value begin = o.field(o.libcxx() ? new String[] {"__begin_"} : new String[] {"_M_impl", "_M_start"});
        Value end = o.field(o.libcxx() ? new String[] {"__end_"} : new String[] {"_M_impl", "_M_finish"});
        Value cap = o.libcxx() ? o.first(o.field("__end_cap_")) : o.field("_M_impl", "_M_end_of_storage");
        Type element = begin.type().strip().target();
        long size = Math.max(1, element.size());
        long n = (end.asLong() - begin.asLong()) / size;
        long capacity = (cap.asLong() - begin.asLong()) / size;
        Obj.plausible("std::vector", n, size);
        Obj.plausible("std::vector", capacity, size);
        return new Contiguous(o, element, begin.asLong(), n, capacity, false);
    }

    /** Elements {@code address + i * size}; {@code capacity} -1 for std::array. */
    private record Contiguous(Obj o, Type element, long address, long n, long capacity, boolean array) implements StlView {
        @Override
        public String head() {
            return array ? null : "std::vector of length " + n + ", capacity " + capacity;
        }

        @Override
        public boolean rawText() {
            return array;
        }

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
            int k = (int) Math.max(0, Math.min(count, n - start));
            List<Value> vs = o.block(element, address + start * Math.max(1, element.size()), k);
            List<Child> out = new ArrayList<>(k);
            for (int i = 0; i < k; i++) {
                out.add(new Child("[" + (start + i) + "]", null, vs.get(i)));
            }
            return out;
        }

        @Override
        public Optional<Value> index(Value key) {
            long i = Obj.checkedIndex(key, n, array ? "array" : "vector");
            return Optional.of(o.at(element, address + i * Math.max(1, element.size())));
        }

        @Override
        public Optional<Value> call(String method) {
            return switch (method) {
                case "size" -> Optional.of(Obj.ulong(n));
                case "empty" -> Optional.of(Obj.bool(n == 0));
                case "capacity" -> array ? Optional.empty() : Optional.of(Obj.ulong(capacity));
                case "data" -> Optional.of(Value.ofLong(Type.pointerTo(element), address));
                case "front" -> index(Obj.ulong(0));
                case "back" -> index(Obj.ulong(n - 1));
                default -> Optional.empty();
            };
        }
    }

    /**
     * vector&lt;bool&gt;: bits in unsigned long words, bit i of the vector in word i / 64.
     * libstdc++ keeps begin and end as (word pointer, bit offset) iterators; libc++ a word
     * pointer, a size in bits and a capacity in words.
     */
    private static StlView bitVector(Obj o) {
        long words;
        long startBit;
        long n;
        long capacity;
        if (o.libcxx()) {
            words = o.field("__begin_").asLong();
            startBit = 0;
            n = o.field("__size_").asLong();
            capacity = o.first(o.field("__cap_alloc_")).asLong() * 64;
        } else {
            Value start = o.field("_M_impl", "_M_start");
            Value finish = o.field("_M_impl", "_M_finish");
            words = o.field(start, "_M_p").asLong();
            startBit = o.field(start, "_M_offset").asLong();
            n = (o.field(finish, "_M_p").asLong() - words) * 8 + o.field(finish, "_M_offset").asLong() - startBit;
            capacity = (o.field("_M_impl", "_M_end_of_storage").asLong() - words) * 8;
        }
        Obj.plausible("std::vector<bool>", n / 8, 1);
        Obj.plausible("std::vector<bool>", capacity / 8, 1);
        Type bool = o.arg(0);
        long base = words;
        long first = startBit;
        long size = n;
        long cap = capacity;
        return new StlView() {
            @Override
            public String head() {
                return "std::vector<bool> of length " + size + ", capacity " + cap;
            }

            @Override
            public Hint hint() {
                return Hint.ARRAY;
            }

            @Override
            public long size() {
                return size;
            }

            private Value bit(long i) {
                long b = first + i;
                long word = o.word(base + (b >>> 6) * 8);
                return Value.ofLong(bool, (word >>> (b & 63)) & 1);
            }

            @Override
            public List<Child> children(long start, int count) {
                return Obj.elements(start, count, size, this::bit, bool);
            }

            @Override
            public Optional<Value> index(Value key) {
                return Optional.of(bit(Obj.checkedIndex(key, size, "vector")));
            }

            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "size" -> Optional.of(Obj.ulong(size));
                    case "empty" -> Optional.of(Obj.bool(size == 0));
                    case "capacity" -> Optional.of(Obj.ulong(cap));
                    default -> Optional.empty();
                };
            }
        };
    }
}
