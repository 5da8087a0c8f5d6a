package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.ValueFormatter;
import dev.quiesce.values.Values;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code std::string} and {@code std::string_view} (of char), both libraries: shown as gdb shows a string, {@code "hello"}. */
final class Strings implements Family {
    /**
     * Bytes of a Rust string read to show it: a run of one character counts as ten of the 200
     * shown, so a long string of runs needs more than 200 bytes. Past this the repeat count of a
     * final run is short; nothing else changes.
     */
    static final int MAX_READ = 64 * 1024;

    /**
     * Characters of a C++ string read to show it: gdb's printers hand gdb the string with its
     * length and gdb fetches {@code print elements} (200) of them, whatever repeats they hold
     * ({@code 'a' <repeats 200 times>...} for 300 a's, checked with gdb 13), so 200 it is.
     */
    static final int SHOWN = ValueFormatter.MAX_ELEMENTS;

    @Override
    public Set<String> templates() {
        return Set.of("basic_string", "basic_string_view");
    }

    /** Where a string's characters are and how many. */
    record Text(Type charType, long data, long length) {
    }

    static Text text(Obj o) {
        boolean view = o.template().equals("basic_string_view");
        if (o.libcxx()) {
            if (view) {
                Value data = o.field("__data_");
                return new Text(data.type().strip().target(), data.asLong(), o.field("__size_").asLong());
            }
            return libcxxString(o);
        }
        if (view) {
            Value data = o.field("_M_str");
            return new Text(data.type().strip().target(), data.asLong(), o.field("_M_len").asLong());
        }
        Value data = o.field("_M_dataplus", "_M_p");
        return new Text(data.type().strip().target(), data.asLong(), o.field("_M_string_length").asLong());
    }

    /**
     * libc++ 16's usual layout (not _LIBCPP_ABI_ALTERNATE_STRING_LAYOUT) on little-endian: bit 0
     * of the first byte says long. Short: size in the first byte's upper 7 bits, characters from
     * byte 1. Long: capacity word, size word, data pointer.
     */
    private static Text libcxxString(Obj o) {
        o.field("__r_"); // the layout check: a libc++ string has its rep in __r_
        Type ch = o.arg(0);
        byte[] b = o.value().bytes();
        if (b.length < 24 || ch.strip().size() != 1) {
            throw new UnknownLayout("a libc++ string of " + b.length + " bytes of " + ch.name());
        }
        if ((b[0] & 1) == 0) {
            if (!o.value().hasAddress()) {
                throw new ValueException("a short string kept outside memory");
            }
            return new Text(ch, o.value().address() + 1, (b[0] & 0xff) >>> 1);
        }
        java.nio.ByteBuffer bb = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        return new Text(ch, bb.getLong(16), bb.getLong(8));
    }

    /** The characters of a string, char array or char pointer (a map key, an index for {@code m["a"]}). */
    static Optional<byte[]> contents(Values values, Value v) {
        Type t = v.type().strip();
        if (t.kind() == Type.Kind.ARRAY && t.target().strip().kind() == Type.Kind.CHAR) {
            byte[] b = v.bytes();
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return Optional.of(java.util.Arrays.copyOf(b, n));
        }
        Optional<String> template = StlFormatters.template(v.type());
        if (template.isPresent() && templatesOf(template.get())) {
            Text text = text(new Obj(values, v, template.get(), t.rawName().startsWith("std::__1::")));
            return Optional.of(read(values, text, text.length()));
        }
        return Optional.empty();
    }

    private static boolean templatesOf(String template) {
        return template.equals("basic_string") || template.equals("basic_string_view");
    }

    static byte[] read(Values values, Text t, long max) {
        if (t.length() < 0 || t.length() > Obj.ADDRESS_SPACE) {
            throw new ValueException("a string of impossible length " + Long.toUnsignedString(t.length()) + " (corrupt or not yet constructed)");
        }
        int n = (int) Math.min(t.length(), max);
        return n == 0 ? new byte[0] : values.frame().memory().read(t.data(), n);
    }

    @Override
    public StlView view(Obj o) {
        Text t = text(o);
        if (t.charType() == null || t.charType().strip().size() != 1) {
            throw new UnknownLayout("a string of " + (t.charType() == null ? "?" : t.charType().name()));
        }
        return new StlView() {
            @Override
            public String head() {
                byte[] b = read(o.values(), t, SHOWN);
                String text = ValueFormatter.charArray(b, false);
                return text + (t.length() > b.length && !text.endsWith("...") ? "..." : "");
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
            public Optional<Value> index(Value key) {
                long i = key.asLong();
                if (i < 0 || i > t.length()) {
                    throw new ValueException("index " + i + " is outside the string (length " + t.length() + ")");
                }
                return Optional.of(o.at(t.charType(), t.data() + i));
            }

            @Override
            public Optional<Value> call(String method) {
                return switch (method) {
                    case "size", "length" -> Optional.of(Obj.ulong(t.length()));
                    case "empty" -> Optional.of(Obj.bool(t.length() == 0));
                    case "c_str", "data" -> Optional.of(Value.ofLong(Type.pointerTo(t.charType()), t.data()));
                    case "front" -> index(Obj.ulong(0));
                    case "back" -> index(Obj.ulong(t.length() - 1));
                    default -> Optional.empty();
                };
            }
        };
    }
}
