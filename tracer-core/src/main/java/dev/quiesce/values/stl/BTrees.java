package dev.quiesce.values.stl;

import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rust's {@code BTreeMap} and {@code BTreeSet} (a map to a zero-sized value), walked in key order
 * as rust-gdb's printer walks them. {@code root} is an {@code Option<NodeRef>} whose None is a
 * null {@code node} (the niche); a node is a {@code LeafNode {parent, keys, vals, parent_idx, len}},
 * and one at height > 0 is an {@code InternalNode}: that leaf, then {@code edges}, its
 * {@code len + 1} children (both types are {@code repr(C)}, so the edges start at the leaf's size
 * aligned to a pointer). Keys and values sit in {@code MaybeUninit} arrays of the key's and the
 * value's own size.
 */
final class BTrees {
    /** A B-tree of height h holds at least 2^h elements: 48 levels is more than the address space. */
    private static final long MAX_HEIGHT = 48;

    private BTrees() {
    }

    /** One node's layout, taken from the LeafNode type of the tree. */
    private record Layout(long lenOffset, long keysOffset, long valsOffset, long edgesOffset, long capacity) {
    }

    static StlView view(Obj o) {
        boolean set = o.template().equals("alloc::collections::btree::set::BTreeSet");
        Value map = set ? o.field("map") : o.value();
        List<Type> args = map.type().strip().templateArguments();
        if (args.size() < 2) {
            throw new UnknownLayout("no key and value types in the debug information of " + map.type().name());
        }
        Type key = args.get(0);
        Type value = args.get(1);
        long length = RustStd.number(o, o.field(map, "length"));
        Obj.plausible(set ? "BTreeSet" : "BTreeMap", length, Math.max(1, key.size() + value.size()));
        Value nodeRef = some(o, o.field(map, "root")); // Option<NodeRef>'s None is a null node: read as the NodeRef
        long height = RustStd.number(o, o.field(nodeRef, "height"));
        Value node = o.field(nodeRef, "node");
        long top = RustStd.pointer(o, node);
        Layout layout = layout(o, node);
        if (length > 0 && (top == 0 || Long.compareUnsigned(height, MAX_HEIGHT) > 0)) {
            throw new ValueException((set ? "BTreeSet" : "BTreeMap") + " of " + length + " elements with root 0x" + Long.toHexString(top)
                    + " of height " + Long.toUnsignedString(height) + " (corrupt or not yet constructed)");
        }
        return new View(o, set, key, value, length, top, height, layout);
    }

    /** The payload of an Option's Some variant, read whatever the discriminant says. */
    private static Value some(Obj o, Value option) {
        Type.Variants vs = option.type().strip().variants();
        if (vs != null) {
            for (Type.Variant v : vs.variants()) {
                if ("Some".equals(v.member().name())) {
                    return o.field(o.values().member(option, v.member()), "__0");
                }
            }
        }
        throw new UnknownLayout("not the layout of BTreeMap's root: " + option.type().name());
    }

    private static Layout layout(Obj o, Value node) {
        Type leaf = null;
        for (Value at = node; leaf == null; ) { // NonNull<LeafNode<K, V>> { pointer: *const LeafNode<K, V> }
            Type t = at.type().strip();
            if (t.kind() == Type.Kind.POINTER) {
                leaf = t.target().strip();
            } else {
                at = o.values().member(at, t.members().isEmpty() ? "" : t.members().get(0).name())
                        .orElseThrow(() -> new UnknownLayout("no pointer in BTreeMap's node reference " + node.type().name()));
            }
        }
        Member len = member(leaf, "len");
        Member keys = member(leaf, "keys");
        Member vals = member(leaf, "vals");
        long capacity = keys.type().strip().bounds().isEmpty() ? 0 : keys.type().strip().bounds().get(0).count();
        if (capacity <= 0) {
            throw new UnknownLayout("no key array in " + leaf.name());
        }
        return new Layout(len.byteOffset(), keys.byteOffset(), vals.byteOffset(), Obj.alignUp(leaf.size(), 8), capacity);
    }

    private static Member member(Type t, String name) {
        for (Member m : t.members()) {
            if (name.equals(m.name())) {
                return m;
            }
        }
        throw new UnknownLayout("not the layout of a BTreeMap node: no member " + name + " in " + t.name());
    }

    /** Where each element's key and value are, in key order. */
    private interface Visitor {
        /** False to end the walk. */
        boolean visit(long keyAddress, long valueAddress);
    }

    private record View(Obj o, boolean set, Type key, Type value, long length, long root, long height, Layout layout) implements StlView {
        @Override
        public String head() {
            return (set ? "BTreeSet" : "BTreeMap") + "(size=" + length + ")";
        }

        @Override
        public Hint hint() {
            return set ? Hint.ARRAY : Hint.MAP;
        }

        @Override
        public long size() {
            return length;
        }

        @Override
        public List<Child> children(long start, int count) {
            List<Child> out = new ArrayList<>();
            long[] seen = {0};
            if (length > 0 && count > 0) {
                walk(root, height, (k, v) -> {
                    long i = seen[0]++;
                    if (i >= start) {
                        Value kv = Obj.safe(() -> o.at(key, k), key);
                        out.add(set ? new Child("[" + i + "]", null, kv) : new Child(null, kv, Obj.safe(() -> o.at(value, v), value)));
                    }
                    return out.size() < count && seen[0] < length;
                }, new long[] {Math.min(Obj.MAX_WALK, start + count + height + 2)});
            }
            return out;
        }

        /** In order through the subtree at {@code node}: edge 0, key 0, edge 1, key 1 ... edge len; false once the visitor ended it. */
        private boolean walk(long node, long h, Visitor visitor, long[] budget) {
            // every node but an empty root holds a key, so a walk to the n-th element visits at most
            // n nodes plus the path still open: more means links that loop or empty nodes (corrupt)
            if (--budget[0] < 0) {
                throw new ValueException("a BTreeMap walk met more nodes than its elements need (corrupt links)");
            }
            ByteBuffer b = ByteBuffer.wrap(o.values().frame().memory().read(node + layout.lenOffset(), 2)).order(ByteOrder.LITTLE_ENDIAN);
            int len = Short.toUnsignedInt(b.getShort());
            if (len > layout.capacity()) {
                throw new ValueException("a BTreeMap node at 0x" + Long.toHexString(node) + " claims " + len + " keys of at most "
                        + layout.capacity() + " (corrupt)");
            }
            long[] edges = h == 0 ? null : words(node + layout.edgesOffset(), len + 1);
            for (int i = 0; i <= len; i++) {
                if (edges != null && !walk(edges[i], h - 1, visitor, budget)) {
                    return false;
                }
                if (i < len && !visitor.visit(node + layout.keysOffset() + i * key.size(), node + layout.valsOffset() + i * value.size())) {
                    return false;
                }
            }
            return true;
        }

        private long[] words(long address, int n) {
            ByteBuffer b = ByteBuffer.wrap(o.values().frame().memory().read(address, n * 8)).order(ByteOrder.LITTLE_ENDIAN);
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = b.getLong();
                if (out[i] == 0) {
                    throw new ValueException("a BTreeMap node at 0x" + Long.toHexString(address) + " has a null child (corrupt)");
                }
            }
            return out;
        }

        /** {@code m[key]}: a descent by the keys' order (integers), as the tree was built. */
        @Override
        public Optional<Value> index(Value k) {
            if (set) {
                return Optional.empty();
            }
            long node = root;
            for (long h = height; length > 0; h--) {
                int len = Short.toUnsignedInt(ByteBuffer.wrap(o.values().frame().memory().read(node + layout.lenOffset(), 2))
                        .order(ByteOrder.LITTLE_ENDIAN).getShort());
                int i = 0;
                for (; i < Math.min(len, layout.capacity()); i++) {
                    int c = Keys.compare(o.values(), k, o.at(key, node + layout.keysOffset() + i * key.size()));
                    if (c == 0) {
                        return Optional.of(o.at(value, node + layout.valsOffset() + i * value.size()));
                    }
                    if (c < 0) {
                        break;
                    }
                }
                if (h <= 0) {
                    break;
                }
                node = words(node + layout.edgesOffset() + i * 8L, 1)[0];
            }
            throw new ValueException("no element with that key in the map");
        }

        @Override
        public Optional<Value> call(String method) {
            return switch (method) {
                case "len" -> Optional.of(Value.ofLong(RustStd.usize(), length));
                case "is_empty" -> Optional.of(Obj.bool(length == 0));
                default -> Optional.empty();
            };
        }
    }
}
