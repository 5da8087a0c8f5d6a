package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.util.ArrayList;
import java.util.List;

/**
 * Rust's {@code HashMap} and {@code HashSet}: hashbrown's RawTable. {@code bucket_mask + 1}
 * buckets; control byte i (at {@code ctrl + i}) has its top bit clear when bucket i is full, and
 * bucket i's {@code (K, V)} is stored just below the control bytes, at {@code ctrl - (i + 1) * size}.
 * Shown in bucket order, as rust-gdb shows them.
 */
final class HashTables {
    private HashTables() {
    }

    static StlView view(Obj o) {
        boolean set = o.template().equals("std::collections::hash::set::HashSet");
        Value map = o.field("base");
        if (set) {
            map = o.field(map, "map");
        }
        Value raw = o.field(map, "table");
        Type element = raw.type().strip().templateArguments().isEmpty() ? null : raw.type().strip().templateArguments().get(0);
        if (element == null || element.strip().kind() != Type.Kind.STRUCT) {
            throw new UnknownLayout("no element type in " + raw.type().name());
        }
        Value inner = o.field(raw, "table");
        long mask = RustStd.number(o, o.field(inner, "bucket_mask"));
        long ctrl = RustStd.pointer(o, o.field(inner, "ctrl"));
        long items = RustStd.number(o, o.field(inner, "items"));
        long size = Math.max(1, element.size());
        long buckets = mask + 1;
        Obj.plausible("HashMap", buckets, size + 1);
        if (items > buckets || Long.bitCount(buckets) != 1) {
            throw new ValueException("a hash table of " + items + " items in " + buckets + " buckets (corrupt or not yet constructed)");
        }
        String head = (set ? "HashSet" : "HashMap") + "(size=" + items + ")";
        return new StlView() {
            @Override
            public String head() {
                return head;
            }

            @Override
            public Hint hint() {
                return set ? Hint.ARRAY : Hint.MAP;
            }

            @Override
            public long size() {
                return items;
            }

            @Override
            public List<Child> children(long start, int count) {
                List<Child> out = new ArrayList<>();
                byte[] control = buckets == 1 && items == 0 ? new byte[0] : o.values().frame().memory().read(ctrl, (int) Math.min(buckets, 1 << 24));
                long seen = 0;
                for (int i = 0; i < control.length && out.size() < count && seen < items; i++) {
                    if ((control[i] & 0x80) != 0) {
                        continue;
                    }
                    if (seen++ < start) {
                        continue;
                    }
                    Value pair = o.at(element, ctrl - (i + 1L) * size);
                    Value key = o.field(pair, "__0");
                    String name = "[" + (seen - 1) + "]";
                    out.add(set ? new Child(name, null, key) : new Child(name, key, o.field(pair, "__1")));
                }
                return out;
            }
        };
    }
}
