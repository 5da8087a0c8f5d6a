package dev.quiesce.values;

import java.util.List;
import java.util.function.Function;

/**
 * Rust aggregates as rust-gdb prints them (issue 15): {@code shapes::Point {x: 0, y: 0}},
 * tuples {@code (7, "seven")}, tuple structs {@code Name (1, 2)}, arrays {@code [1, 2]}, and enums
 * by their active variant: {@code shapes::Shape::Rect(..)}, {@code shapes::Shape::Circle{radius: 2}},
 * {@code shapes::Color::Green}, {@code core::option::Option<u8>::None}.
 */
public final class RustText {
    private RustText() {
    }

    /** The variant of a Rust enum value that its discriminant selects (or the default one); null when none does. */
    public static Member activeVariant(Values values, Value v, Type.Variants vs) {
        if (vs.variants().isEmpty()) {
            return null;
        }
        if (vs.discriminant() == null) {
            return vs.variants().size() == 1 ? vs.variants().get(0).member() : null;
        }
        Value d = values.member(v, vs.discriminant());
        long size = Math.max(1, Math.min(8, d.type().strip().size()));
        long mask = size >= 8 ? -1L : (1L << (8 * size)) - 1;
        long tag = d.asLong() & mask;
        Member fallback = null;
        for (Type.Variant variant : vs.variants()) {
            if (variant.value() == null) {
                fallback = variant.member();
            } else if ((variant.value() & mask) == tag) {
                return variant.member();
            }
        }
        return fallback;
    }

    static String struct(Values values, Value v, Type t, Function<Value, String> format) {
        if (t.variants() != null) {
            Member m = activeVariant(values, v, t.variants());
            if (m == null) {
                return "<error: no variant of " + t.name() + " has this discriminant>";
            }
            Value inner = values.member(v, m);
            return fields(values, inner, inner.type().strip(), format, "");
        }
        return fields(values, v, t, format, " ");
    }

    /** A struct's fields in Rust's form; {@code space} between a named struct and its braces (variants have none). */
    private static String fields(Values values, Value v, Type t, Function<Value, String> format, String space) {
        List<Member> ms = t.members().stream().filter(m -> !m.isStatic()).toList();
        String name = t.name() == null ? "" : t.name();
        boolean tuple = !ms.isEmpty() && ms.stream().allMatch(m -> m.name() != null && m.name().matches("__\\d+"));
        if (ms.isEmpty()) {
            return name.startsWith("(") ? "()" : name;
        }
        StringBuilder b = new StringBuilder();
        if (tuple) {
            b.append(name.startsWith("(") ? "" : name + space).append('('); // rust-gdb: "shapes::Wrap (7, 8)", "Shape::Rect(..)"
        } else {
            b.append(name).append(space).append('{');
        }
        for (int i = 0; i < ms.size(); i++) {
            Member m = ms.get(i);
            b.append(i == 0 ? "" : ", ");
            if (!tuple) {
                b.append(m.name()).append(": ");
            }
            b.append(format.apply(values.member(v, m)));
        }
        return b.append(tuple ? ')' : '}').toString();
    }

    /** Whether a type is a Rust raw pointer or reference (or a pointer made by {@code &x} to a Rust value). */
    static boolean isPointer(Type t) {
        Type at = t.strip();
        for (int i = 0; i < 16 && (at.kind() == Type.Kind.POINTER || at.kind() == Type.Kind.REFERENCE); i++) {
            if (at.rust()) {
                return true;
            }
            at = at.target() == null ? Type.VOID : at.target().strip();
        }
        return at.rust() && at != t.strip();
    }

    /**
     * A pointer's type as rust-gdb's print names it: gdb reads every Rust pointer and reference as
     * {@code *mut T} ({@code (*mut i32) 0x7ffe...} for a {@code *const i32} or a {@code &i32}).
     */
    static String pointerName(Type t) {
        StringBuilder b = new StringBuilder();
        Type at = t.strip();
        for (int i = 0; i < 16 && (at.kind() == Type.Kind.POINTER || at.kind() == Type.Kind.REFERENCE); i++) {
            b.append("*mut ");
            at = at.target() == null ? Type.VOID : at.target();
        }
        return b.append(at.name()).toString();
    }

    /** An array's text from gdb's C form ({@code {1, 2}} → {@code [1, 2]}). */
    /** A Rust char as rust-gdb prints one: {@code 60 '<'}, escapes as gdb's rust emitchar ({@code \\n}, {@code \\xe9}, {@code \\u{01f600}}). */
    static String character(long c) {
        String shown;
        if (c == '\\' || c == '\'') {
            shown = "\\" + (char) c;
        } else if (c == '\n') {
            shown = "\\n";
        } else if (c == '\r') {
            shown = "\\r";
        } else if (c == '\t') {
            shown = "\\t";
        } else if (c == 0) {
            shown = "\\0";
        } else if (c >= 32 && c < 127) {
            shown = String.valueOf((char) c);
        } else if (c >= 0 && c <= 255) {
            shown = String.format("\\x%02x", c);
        } else {
            shown = String.format("\\u{%06x}", c);
        }
        return c + " '" + shown + "'";
    }

    static String array(String c) {
        return c.startsWith("{") && c.endsWith("}") ? "[" + c.substring(1, c.length() - 1) + "]" : c;
    }
}
