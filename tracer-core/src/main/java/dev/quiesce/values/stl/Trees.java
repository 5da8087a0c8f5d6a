package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code std::map}, {@code multimap}, {@code set}, {@code multiset}: red-black trees walked in
 * order. Node links, both libraries: libstdc++'s {@code _Rb_tree_node_base} is color, parent,
 * left, right (32 bytes); libc++'s {@code __tree_node_base} is left, right, parent, is_black
 * (25 bytes: the node is not a POD, so the element goes into the base's tail padding). The
 * element follows the links at its alignment.
 */
final class Trees implements Family {
    private static final long LINKS = 32;
    /** libc++'s links end after the is_black byte: what the element's offset is aligned up from. */
    static final long LIBCXX_LINKS_END = 25;
    /** A red-black tree of n nodes is at most 2·log2(n + 1) deep: 128 covers any tree in 2^64 bytes. */
    private static final int MAX_DEPTH = 130;

    @Override
    public Set<String> templates() {
        return Set.of("map", "multimap", "set", "multiset");
    }

    private record Links(long parent, long left, long right) {
    }

    @Override
    public StlView view(Obj o) {
        boolean map = o.template().endsWith("map");
        Type key = o.arg(0);
        Type mapped = map ? o.arg(1) : null;
        long end;
        long begin;
        long root;
        long count;
        if (o.libcxx()) {
            Value tree = o.field("__tree_");
            Value endNode = o.first(o.field(tree, "__pair1_"));
            if (!endNode.hasAddress()) {
                throw new UnknownLayout("a tree outside memory");
            }
            end = endNode.address();
            begin = o.field(tree, "__begin_node_").asLong();
            root = o.field(endNode, "__left_").asLong();
            count = o.first(o.field(tree, "__pair3_")).asLong();
        } else {
            Value header = o.field("_M_t", "_M_impl", "_M_header");
            if (!header.hasAddress()) {
                throw new UnknownLayout("a tree outside memory");
            }
            end = header.address();
            begin = o.field(header, "_M_left").asLong();
            root = o.field(header, "_M_parent").asLong();
            count = o.field("_M_t", "_M_impl", "_M_node_count").asLong();
        }
        long valueSize = map ? Obj.alignUp(key.size(), Obj.alignOf(mapped)) + mapped.size() : key.size();
        Obj.plausible("std::" + o.template(), count, LINKS + valueSize);
        long valueOffset = Obj.alignUp(o.libcxx() ? LIBCXX_LINKS_END : LINKS, map ? Math.max(Obj.alignOf(key), Obj.alignOf(mapped)) : Obj.alignOf(key));
        long mappedOffset = map ? Obj.alignUp(key.size(), Obj.alignOf(mapped)) : 0;
        long endNode = end;
        Nodes nodes = new Nodes(begin, end, count, n -> step(o, n, endNode, true));
        // the last pages are walked from the rightmost node backwards: a page near the end of a
        // 10^5-entry map costs its own nodes, not the whole tree before it
        Nodes backwards = new Nodes(root == 0 ? 0 : rightmost(o, root), end, count, n -> step(o, n, endNode, false));
        return new View(o, map, key, mapped, nodes, backwards, count, root, valueOffset, mappedOffset);
    }

    private static Links links(Obj o, long node) {
        ByteBuffer b = ByteBuffer.wrap(o.values().frame().memory().read(node, (int) LINKS)).order(ByteOrder.LITTLE_ENDIAN);
        return o.libcxx() ? new Links(b.getLong(16), b.getLong(0), b.getLong(8)) : new Links(b.getLong(8), b.getLong(16), b.getLong(24));
    }

    private static long rightmost(Obj o, long root) {
        long x = root;
        for (int i = 0; i < MAX_DEPTH; i++) {
            long right = links(o, x).right();
            if (right == 0) {
                return x;
            }
            x = right;
        }
        throw new ValueException("the tree is deeper than a red-black tree can be (corrupt links)");
    }

    /**
     * The in-order successor ({@code forward}) or predecessor; climbing ends at the end node
     * (libstdc++'s header, libc++'s end node).
     */
    private static long step(Obj o, long node, long end, boolean forward) {
        Links l = links(o, node);
        long down = forward ? l.right() : l.left();
        if (down != 0) {
            long x = down;
            for (int i = 0; i < MAX_DEPTH; i++) {
                Links xl = links(o, x);
                long next = forward ? xl.left() : xl.right();
                if (next == 0) {
                    return x;
                }
                x = next;
            }
            throw new ValueException("the tree is deeper than a red-black tree can be (corrupt links)");
        }
        long x = node;
        for (int i = 0; i < MAX_DEPTH; i++) {
            long parent = links(o, x).parent();
            if (parent == end) {
                return end;
            }
            Links p = links(o, parent);
            if ((forward ? p.left() : p.right()) == x) {
                return parent;
            }
            if ((forward ? p.right() : p.left()) != x) {
                throw new ValueException("corrupt tree: node 0x" + Long.toHexString(x) + " is not a child of its parent");
            }
            x = parent;
        }
        throw new ValueException("the tree is deeper than a red-black tree can be (corrupt links)");
    }

    private record View(Obj o, boolean map, Type key, Type mapped, Nodes nodes, Nodes backwards, long count, long root, long valueOffset,
                        long mappedOffset) implements StlView {
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
            for (long node : range(start, n)) {
                long v = node + valueOffset;
                if (map) {
                    out.add(new Child(null, Obj.safe(() -> o.at(key, v), key), Obj.safe(() -> o.at(mapped, v + mappedOffset), mapped)));
                } else {
                    out.add(new Child("[" + i + "]", null, Obj.safe(() -> o.at(key, v), key)));
                }
                i++;
            }
            return out;
        }

        /** Nodes start .. start + n - 1: from the front, or from the back for a page in the second half not yet walked to. */
        private List<Long> range(long start, int n) {
            if (start < count / 2 || start >= count) {
                return nodes.range(start, n);
            }
            long end = Math.min(count, start + n);
            List<Long> tail = new ArrayList<>(backwards.range(count - end, (int) (end - start)));
            java.util.Collections.reverse(tail);
            return tail;
        }

        /** {@code m[k]}: a descent by std::less (integer keys by value, string keys by bytes), as the tree was built. */
        @Override
        public Optional<Value> index(Value k) {
            if (!map) {
                return Optional.empty();
            }
            if (!o.arg(2).name().startsWith("std::less") && !o.arg(2).name().startsWith("std::__1::less")) {
                throw new ValueException("m[key] needs std::less ordering; this map orders by " + o.arg(2).name());
            }
            long node = root;
            for (int depth = 0; node != 0 && depth < MAX_DEPTH; depth++) {
                int c = Keys.compare(o.values(), k, o.at(key, node + valueOffset));
                if (c == 0) {
                    return Optional.of(o.at(mapped, node + valueOffset + mappedOffset));
                }
                Links l = links(o, node);
                node = c < 0 ? l.left() : l.right();
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
    }
}
