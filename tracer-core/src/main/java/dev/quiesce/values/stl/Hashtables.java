package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code std::unordered_map}, {@code unordered_set} and their multi- forms: every node of a
 * hash table is on one singly linked list from a before-begin node, in iteration order.
 * libstdc++ nodes are a link then the element (at its alignment after 8 bytes; a cached hash
 * code comes after it); libc++ nodes are a link, the hash, then the element.
 */
final class Hashtables implements Family {
    @Override
    public Set<String> templates() {
        return Set.of("unordered_map", "unordered_multimap", "unordered_set", "unordered_multiset");
    }

    @Override
    public StlView view(Obj o) {
        boolean map = o.template().endsWith("map");
        Type key = o.arg(0);
        Type mapped = map ? o.arg(1) : null;
        long align = map ? Math.max(Obj.alignOf(key), Obj.alignOf(mapped)) : Obj.alignOf(key);
        long first;
        long count;
        long valueOffset;
        if (o.libcxx()) {
            Value table = o.field("__table_");
            first = o.field(o.first(o.field(table, "__p1_")), "__next_").asLong();
            count = o.first(o.field(table, "__p2_")).asLong();
            valueOffset = Obj.alignUp(16, align);
        } else {
            first = o.field("_M_h", "_M_before_begin", "_M_nxt").asLong();
            count = o.field("_M_h", "_M_element_count").asLong();
            valueOffset = Obj.alignUp(8, align);
        }
        long mappedOffset = map ? Obj.alignUp(key.size(), Obj.alignOf(mapped)) : 0;
        Obj.plausible("std::" + o.template(), count, valueOffset + key.size());
        Nodes nodes = new Nodes(first, 0, count, n -> o.word(n));
        return new StlView() {
            @Override
            public String head() {
                return "std::" + o.template() + " with " + count + (count == 1 ? " element" : " elements");
            }

            @Override
            public Hint hint() {
                return map ? Hint.MAP : Hint.NAMED;
            }

            @Override
            public boolean indexed() {
                return true;
            }

            @Override
            public long size() {
                return count;
            }

            @Override
            public List<Child> children(long start, int n) {
                List<Child> out = new ArrayList<>();
                long i = start;
                for (long node : nodes.range(start, n)) {
                    long v = node + valueOffset;
                    Value k = Obj.safe(() -> o.at(key, v), key);
                    out.add(map ? new Child(null, k, Obj.safe(() -> o.at(mapped, v + mappedOffset), mapped))
                            : new Child("[" + i + "]", null, k));
                    i++;
                }
                return out;
            }

            /** {@code m[key]}: the nodes in order until the key (the hash function is the program's, not ours to run). */
            @Override
            public Optional<Value> index(Value given) {
                if (!map) {
                    return Optional.empty();
                }
                for (long node : nodes.range(0, (int) Math.min(count, Obj.MAX_WALK))) {
                    if (Keys.equal(o.values(), given, o.at(key, node + valueOffset))) {
                        return Optional.of(o.at(mapped, node + valueOffset + mappedOffset));
                    }
                }
                throw new ValueException("no element with that key in the map");
            }

            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "size" -> Optional.of(Obj.ulong(count));
                    case "empty" -> Optional.of(Obj.bool(count == 0));
                    default -> Optional.empty();
                };
            }
        };
    }
}
