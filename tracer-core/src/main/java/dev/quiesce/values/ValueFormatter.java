package dev.quiesce.values;

import dev.quiesce.values.stl.StlFormatters;
import dev.quiesce.values.stl.StlView;
import java.util.List;
import java.util.Optional;

/**
 * Values as text, the way gdb's {@code print} shows them: {@code 97 'a'}, {@code 3.25},
 * {@code 0x7ffe... "hello"}, {@code {x = 1, y = 2}}, {@code GREEN}, {@code <optimized out>};
 * arrays with {@code <repeats N times>} and at most 200 elements; optionally integers in hex.
 */
public final class ValueFormatter {
    public static final int MAX_ELEMENTS = 200;
    private static final int REPEAT_THRESHOLD = 10;
    private static final int MAX_STRING = 200;
    private static final long PAGE = 4096;
    /** gdb's {@code max-depth} default: aggregates nested deeper show as {@code {...}} (also ends reference cycles). */
    static final int MAX_DEPTH = 20;
    /** Scalars shown in one top-level value: nested arrays multiply their 200-element limits, this caps the product. */
    static final int MAX_SCALARS = 20_000;

    private final Values values;
    private final boolean hex;
    private int depth; // aggregates being formatted around the current value (not thread-safe: one formatter per request)
    private int scalars; // scalars shown since the outermost format() began
    private boolean raw; // the outermost value as its plain struct (the [raw] child of a library object)

    public ValueFormatter(Values values, boolean hex) {
        this.values = values;
        this.hex = hex;
    }

    /** As {@code print} shows a whole value: non-char pointers get their type in front. */
    public String formatTop(Value v) {
        Type t = v.type().strip();
        if (!v.optimizedOut() && RustText.isPointer(t) && !isFunctionPointer(t)) {
            return "(" + RustText.pointerName(t) + ") " + format(v);
        }
        if (!v.optimizedOut() && t.kind() == Type.Kind.POINTER && !isCharPointer(t) && !isFunctionPointer(t)) {
            return "(" + v.type().name() + ") " + format(v);
        }
        if (!v.optimizedOut() && t.kind() == Type.Kind.REFERENCE) {
            if (refersToLibraryObject(v)) {
                return format(v); // gdb shows a reference to a printed object as the object
            }
            return "(" + v.type().name() + ") " + format(v);
        }
        return format(v);
    }

    /** As gdb shows a value inside another one (and DAP in the Variables view). */
    public String format(Value v) {
        if (depth == 0) {
            scalars = 0;
        }
        if (v.error() != null) {
            return "<error: " + v.error() + ">";
        }
        if (v.optimizedOut()) {
            return "<optimized out>";
        }
        Type t = v.type().strip();
        boolean aggregate = t.kind() == Type.Kind.ARRAY || t.kind() == Type.Kind.STRUCT || t.kind() == Type.Kind.CLASS
                || t.kind() == Type.Kind.UNION || t.kind() == Type.Kind.REFERENCE;
        if (aggregate && depth >= MAX_DEPTH) {
            return "{...}";
        }
        if (!aggregate && ++scalars > MAX_SCALARS) {
            return "...";
        }
        depth++;
        try {
            return switch (t.kind()) {
                case INT -> t.rust() && !hex && "char".equals(t.name()) ? RustText.character(v.asLong()) : integer(v);
                case BOOL -> v.asLong() != 0 ? "true" : "false";
                case CHAR -> hex ? integer(v) : v.asLong() + " '" + Numbers.escape((int) v.asLong(), '\'') + "'";
                case FLOAT -> Numbers.floating(v.asDouble(), (int) t.size());
                case ENUM -> enumName(t, v.asLong());
                case POINTER -> pointer(v, t);
                case REFERENCE -> {
                    Value target = values.dereference(v);
                    if (refersToLibraryObject(v)) {
                        depth--; // the object itself is what is shown: no extra level
                        try {
                            yield format(target);
                        } finally {
                            depth++;
                        }
                    }
                    yield "@0x" + Long.toHexString(target.address()) + ": " + format(target);
                }
                case ARRAY -> t.rust() ? RustText.array(array(v, t)) : array(v, t);
                case STRUCT, CLASS, UNION -> library(v, t);
                case FUNCTION -> "{" + v.type().name() + "} 0x" + Long.toHexString(v.address()) + symbol(v.address());
                default -> "void";
            };
        } catch (ValueException e) {
            return "<error: " + e.getMessage() + ">";
        } finally {
            depth--;
        }
    }

    private String integer(Value v) {
        long n = v.asLong();
        if (hex) {
            long size = Math.max(1, v.type().strip().size());
            long masked = size >= 8 ? n : n & ((1L << (8 * size)) - 1);
            return "0x" + Long.toHexString(masked);
        }
        return v.type().strip().signed() ? Long.toString(n) : Long.toUnsignedString(n);
    }

    private String enumName(Type t, long n) {
        for (Type.Enumerator e : t.enumerators()) {
            if (e.value() == n) {
                return enumScope(t) + e.name();
            }
        }
        return hex ? "0x" + Long.toHexString(n) : Long.toString(n);
    }

    /**
     * gdb qualifies a C++ enumerator by the scope its enum is declared in ({@code ns::Square::SOLID}
     * for {@code enum Kind} in {@code ns::Square}); C enum names ("enum color") get nothing.
     */
    private static String enumScope(Type t) {
        String name = t.name();
        if (name == null || name.startsWith("enum ")) {
            return "";
        }
        if (t.strip().scoped()) {
            return name + "::"; // enum class Color: Color::Red
        }
        int cut = name.lastIndexOf("::");
        return cut < 0 ? "" : name.substring(0, cut + 2);
    }

    static boolean isCharPointer(Type t) {
        Type target = t.strip().target();
        return target != null && target.strip().kind() == Type.Kind.CHAR;
    }

    static boolean isFunctionPointer(Type t) {
        Type target = t.strip().target();
        return target != null && target.strip().kind() == Type.Kind.FUNCTION;
    }

    private String pointer(Value v, Type t) {
        long p = v.asLong();
        String text = "0x" + Long.toHexString(p);
        if (p == 0) {
            return text;
        }
        if (isCharPointer(t)) {
            return text + " " + cString(p);
        }
        if (isFunctionPointer(t)) {
            return text + symbol(p);
        }
        // gdb's print symbol: a pointer into a data symbol names it
        return text + values.frame().dataSymbolAt(p).map(s -> " <" + s + ">").orElse("");
    }

    private String symbol(long address) {
        return values.frame().symbolAt(address).map(s -> " <" + s + ">").orElse("");
    }

    /**
     * A NUL-terminated string in memory, at most 200 characters, as gdb prints it: a string
     * that runs into unmapped memory ends in {@code "abc"<error: Cannot access memory at address 0x...>}.
     * Reads never cross a page: memory is mapped in whole 4 KiB pages (larger pages are
     * multiples of it), so each chunk is either readable in full or not at all, and each read
     * is at least one byte. Every byte read is shown or ends the string, so the loop runs at
     * most MAX_STRING + 1 bytes.
     */
    private String cString(long address) {
        StringBuilder b = new StringBuilder("\"");
        int n = 0;
        long at = address;
        while (true) {
            int chunk = (int) Math.min(64, PAGE - (at & (PAGE - 1))); // 1..64
            byte[] bytes;
            try {
                bytes = values.frame().memory().read(at, chunk);
                if (bytes.length != chunk) { // a Memory breaking its contract must not stall this loop
                    throw Memory.cannotAccess(at + Math.max(0, Math.min(bytes.length, chunk)));
                }
            } catch (ValueException e) {
                return n == 0 ? "<error: " + e.getMessage() + ">" : b.append("\"<error: ").append(e.getMessage()).append('>').toString();
            }
            for (byte c : bytes) {
                if (c == 0) {
                    return b.append('"').toString();
                }
                if (n++ >= MAX_STRING) {
                    return b + "\"...";
                }
                b.append(Numbers.escape(c, '"'));
            }
            at += bytes.length;
        }
    }

    private String array(Value v, Type t) {
        List<Value> elements = values.elements(v, MAX_ELEMENTS + 1);
        Type element = t.target().strip();
        if (element.kind() == Type.Kind.CHAR && t.bounds().size() == 1 && !hex) {
            return charArray(v.bytes());
        }
        long total = values.length(v);
        StringBuilder b = new StringBuilder("{");
        int shown = 0;
        for (int i = 0; i < elements.size() && shown < MAX_ELEMENTS; ) {
            String s = format(elements.get(i));
            int run = 1;
            while (i + run < elements.size() && format(elements.get(i + run)).equals(s)) {
                run++;
            }
            if (b.length() > 1) {
                b.append(", ");
            }
            if (run >= REPEAT_THRESHOLD) {
                b.append(s).append(" <repeats ").append(run).append(" times>");
                i += run;
                shown += REPEAT_THRESHOLD;
            } else {
                b.append(s);
                i++;
                shown++;
            }
        }
        if (total > MAX_ELEMENTS) {
            b.append("...");
        }
        return b.append('}').toString();
    }

    /** gdb's char array: a string, runs of 10 or more as {@code 'c' <repeats N times>}, one trailing NUL dropped. */
    static String charArray(byte[] bytes) {
        return charArray(bytes, true);
    }

    /** As gdb prints a string of known length ({@code std::string}): {@code dropTerminator} false keeps every byte given. */
    public static String charArray(byte[] bytes, boolean dropTerminator) {
        int len = bytes.length;
        // gdb stops at the first NUL when everything after it is NUL too (print null-stop off still trims those).
        int end = len;
        while (dropTerminator && end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        int trailing = len - end;
        if (trailing > 0) {
            trailing--; // the terminator
        }
        StringBuilder b = new StringBuilder();
        boolean inString = false;
        int i = 0;
        int limit = end + trailing;
        // gdb's print elements: 200 characters, a repeat block counting as 10 of them; then "...".
        int shown = 0;
        while (i < limit && shown < MAX_STRING) {
            int run = 1;
            while (i + run < limit && bytes[i + run] == bytes[i]) {
                run++;
            }
            if (run >= REPEAT_THRESHOLD) {
                if (inString) {
                    b.append("\", ");
                    inString = false;
                } else if (b.length() > 0) {
                    b.append(", ");
                }
                b.append('\'').append(Numbers.escape(bytes[i], '\'')).append("' <repeats ").append(run).append(" times>");
                i += run;
                shown += REPEAT_THRESHOLD;
            } else {
                if (!inString) {
                    if (b.length() > 0) {
                        b.append(", ");
                    }
                    b.append('"');
                    inString = true;
                }
                for (int k = 0; k < run && shown < MAX_STRING; k++, i++, shown++) {
                    b.append(Numbers.escape(bytes[i], '"'));
                }
            }
        }
        if (inString) {
            b.append('"');
        }
        if (i < limit) {
            b.append("...");
        }
        return b.length() == 0 ? "\"\"" : b.toString();
    }

    private boolean refersToLibraryObject(Value reference) {
        Type target = reference.type().strip().target();
        return target != null && StlFormatters.template(target).isPresent() && StlFormatters.knows(target);
    }

    /** A library object's plain members, as gdb's {@code print/r} shows them at the top level. */
    public String formatRaw(Value v) {
        raw = true;
        try {
            return format(v);
        } finally {
            raw = false;
        }
    }

    /** A standard-library object as gdb's libstdc++ printers show it; any other struct as members. */
    private String library(Value v, Type t) {
        if (raw && depth == 1) {
            return struct(v, t);
        }
        Optional<StlView> view = StlFormatters.viewOrRaw(values, v); // a corrupt object: ValueException, shown as an error
        if (view.isEmpty() || view.get().rawText()) {
            return struct(v, t);
        }
        return library(view.get());
    }

    /**
     * gdb's way with a printer's children: the head, then {@code = {...}} unless there are none,
     * at most 200 children (a map's key and value count as two) and then {@code ...}; no
     * {@code <repeats>} folding. gdb stops asking after the 200th child, so it cannot tell that
     * one was the last: exactly 200 also end in {@code ...} (checked with rust-gdb on a Vec of 200).
     */
    private String library(StlView view) {
        String head = view.head();
        switch (view.hint()) {
            case STRING:
                return head;
            case ITEM:
                return view.deref().map(this::format).orElse(head == null ? "{...}" : head);
            default:
                break;
        }
        boolean map = view.hint() == StlView.Hint.MAP;
        int limit = map ? MAX_ELEMENTS / 2 : MAX_ELEMENTS;
        List<StlView.Child> children = view.size() == 0 ? List.of() : view.children(0, limit);
        if (children.isEmpty()) {
            return head == null ? "{}" : head;
        }
        StringBuilder b = new StringBuilder(head == null ? "" : head + " = ").append('{');
        for (int i = 0; i < children.size() && i < limit; i++) {
            StlView.Child c = children.get(i);
            b.append(i == 0 ? "" : ", ");
            switch (view.hint()) {
                case MAP -> b.append('[').append(format(c.key())).append("] = ").append(format(c.value()));
                case NAMED -> b.append(c.name()).append(" = ").append(format(c.value()));
                default -> b.append(format(c.value()));
            }
        }
        if (children.size() >= limit) {
            b.append("...");
        }
        return b.append('}').toString();
    }

    private String struct(Value v, Type t) {
        if (t.rust()) {
            return RustText.struct(values, v, t, this::format);
        }
        StringBuilder b = new StringBuilder("{");
        for (Member m : t.members()) {
            if (b.length() > 1) {
                b.append(", ");
            }
            Value mv = values.member(v, m);
            if (m.inheritance()) {
                b.append('<').append(m.name()).append("> = ");
            } else if (m.isStatic()) {
                b.append("static ").append(m.name()).append(" = ");
            } else if (m.name() != null) {
                b.append(m.name()).append(" = ");
            }
            b.append(format(mv));
        }
        return b.append('}').toString();
    }
}
