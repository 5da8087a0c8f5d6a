package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code std::deque}: a map (array) of pointers to fixed-size blocks, so element i's address is
 * computed, not walked. libstdc++ blocks hold 512 bytes of elements (one element if larger);
 * libc++ blocks 4096 bytes (16 elements if an element is 256 bytes or more).
 */
final class Deques implements Family {
    @Override
    public Set<String> templates() {
        return Set.of("deque");
    }

    @Override
    public StlView view(Obj o) {
        Type element = o.arg(0);
        long es = Math.max(1, element.size());
        long map;
        long firstIndex; // of element 0, counted from the start of the block at map[0]
        long block;
        long size;
        if (o.libcxx()) {
            block = es < 256 ? 4096 / es : 16;
            map = o.field("__map_", "__begin_").asLong();
            firstIndex = o.field("__start_").asLong();
            size = o.first(o.field("__size_")).asLong();
        } else {
            block = es < 512 ? 512 / es : 1;
            Value start = o.field("_M_impl", "_M_start");
            Value finish = o.field("_M_impl", "_M_finish");
            map = o.field(start, "_M_node").asLong();
            long cur = o.field(start, "_M_cur").asLong();
            long firstInBlock = o.field(start, "_M_first").asLong();
            firstIndex = (cur - firstInBlock) / es;
            long nodes = (o.field(finish, "_M_node").asLong() - map) / 8;
            size = block * (nodes - 1) + (o.field(finish, "_M_cur").asLong() - o.field(finish, "_M_first").asLong()) / es
                    + (o.field(start, "_M_last").asLong() - cur) / es;
        }
        Obj.plausible("std::deque", size, es);
        long n = size;
        long base = map;
        long first = firstIndex;
        long perBlock = block;
        return new StlView() {
            private Value element(long i) {
                long k = first + i;
                return o.at(element, o.word(base + (k / perBlock) * 8) + (k % perBlock) * es);
            }

            @Override
            public String head() {
                return "std::deque with " + n + (n == 1 ? " element" : " elements");
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
                return Obj.elements(start, count, n, this::element, element);
            }

            @Override
            public Optional<Value> index(Value key) {
                return Optional.of(element(Obj.checkedIndex(key, n, "deque")));
            }

            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "size" -> Optional.of(Obj.ulong(n));
                    case "empty" -> Optional.of(Obj.bool(n == 0));
                    case "front" -> index(Obj.ulong(0));
                    case "back" -> index(Obj.ulong(n - 1));
                    default -> Optional.empty();
                };
            }
        };
    }
}
