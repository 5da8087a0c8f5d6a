package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code std::list} and {@code std::forward_list}, both libraries. A list node is two links
 * (libstdc++ next, prev; libc++ prev, next) and the element at its alignment after 16 bytes; a
 * forward_list node is one link and the element after 8 bytes.
 */
final class Lists implements Family {
    /**
     * A forward_list keeps no size: it is counted by walking, at most this far (a longer one
     * shows this many children; a cycle ends here too).
     */
    static final long MAX_COUNTED = 100_000;

    @Override
    public Set<String> templates() {
        return Set.of("list", "forward_list");
    }

    @Override
    public StlView view(Obj o) {
        Type element = o.arg(0);
        boolean forward = o.template().equals("forward_list");
        String name = o.libcxx() ? "std::" + o.template() : o.type().rawName().replaceAll("<.*", "");
        long first;
        long end;
        long count;
        long valueOffset;
        long nextOffset;
        if (forward) {
            Value head = o.libcxx() ? o.first(o.field("__before_begin_")) : o.field("_M_impl", "_M_head");
            first = o.field(head, o.libcxx() ? "__next_" : "_M_next").asLong();
            end = 0;
            valueOffset = Obj.alignUp(8, Obj.alignOf(element));
            nextOffset = 0;
            count = -1;
        } else {
            Value header = o.field(o.libcxx() ? new String[] {"__end_"} : new String[] {"_M_impl", "_M_node"});
            if (!header.hasAddress()) {
                throw new UnknownLayout("a list outside memory");
            }
            end = header.address();
            nextOffset = o.libcxx() ? 8 : 0;
            first = o.word(end + nextOffset);
            valueOffset = Obj.alignUp(16, Obj.alignOf(element));
            count = o.libcxx() ? o.first(o.field("__size_alloc_")).asLong() : o.field(header, "_M_size").asLong();
            Obj.plausible(name, count, valueOffset + element.size());
        }
        long next = nextOffset;
        Nodes nodes = new Nodes(first, end, count < 0 ? MAX_COUNTED : count, n -> o.word(n + next));
        long size = count >= 0 ? count : nodes.range(0, (int) MAX_COUNTED).size();
        return new StlView() {
            @Override
            public String head() {
                return size == 0 ? "empty " + name : name;
            }

            @Override
            public Hint hint() {
                return Hint.NAMED;
            }

            @Override
            public boolean indexed() {
                return true;
            }

            @Override
            public long size() {
                return size;
            }

            @Override
            public List<Child> children(long start, int n) {
                List<Child> out = new ArrayList<>();
                long i = start;
                for (long node : nodes.range(start, n)) {
                    out.add(new Child("[" + i++ + "]", null, Obj.safe(() -> o.at(element, node + valueOffset), element)));
                }
                return out;
            }

            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "size" -> forward ? Optional.empty() : Optional.of(Obj.ulong(size));
                    case "empty" -> Optional.of(Obj.bool(size == 0));
                    case "front" -> size == 0 ? Optional.empty() : Optional.of(children(0, 1).get(0).value());
                    default -> Optional.empty();
                };
            }
        };
    }
}
