package dev.quiesce.values.call;

import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import java.util.Arrays;

/**
 * The System V x86-64 ABI classification of a value (psABI 3.2.3): each eightbyte of a value up
 * to 16 bytes is INTEGER (general registers) or SSE (xmm registers); larger values, unaligned
 * members and x87 long doubles are MEMORY (passed on the stack, returned through a hidden
 * pointer). Unions and structs merge their members' classes eightbyte by eightbyte.
 */
enum ArgumentClass {
    NONE, INTEGER, SSE, MEMORY;

    /** The classes of each eightbyte of {@code t}: one or two entries, or a single MEMORY. */
    static ArgumentClass[] of(Type t) {
        long size = t.size();
        if (t.strip().byReference()) {
            return new ArgumentClass[] {MEMORY}; // returned through the hidden pointer, whatever its size
        }
        if (size > 16 || size <= 0 && t.strip().kind() != Type.Kind.VOID) {
            return new ArgumentClass[] {MEMORY};
        }
        ArgumentClass[] classes = new ArgumentClass[(int) Math.max(1, (size + 7) / 8)];
        Arrays.fill(classes, NONE);
        classify(t, 0, classes, 0);
        for (ArgumentClass c : classes) {
            if (c == MEMORY) {
                return new ArgumentClass[] {MEMORY};
            }
        }
        for (int i = 0; i < classes.length; i++) {
            if (classes[i] == NONE) {
                classes[i] = SSE; // padding-only eightbyte: nothing to pass, any class will do
            }
        }
        return classes;
    }

    private static void classify(Type type, long offset, ArgumentClass[] out, int depth) {
        Type t = type.strip();
        if (depth > Type.Kind.values().length * 16) {
            out[0] = MEMORY; // absurd nesting: refuse rather than recurse without end
            return;
        }
        switch (t.kind()) {
            case INT, CHAR, BOOL, ENUM, POINTER, REFERENCE -> put(out, offset, t.size(), INTEGER);
            case FLOAT -> put(out, offset, t.size(), t.size() > 8 ? MEMORY : SSE); // long double is x87: MEMORY
            case ARRAY -> {
                Type element = t.target();
                long n = element.size() == 0 ? 0 : t.size() / element.size();
                for (long i = 0; i < n; i++) {
                    classify(element, offset + i * element.size(), out, depth + 1);
                }
            }
            case STRUCT, CLASS, UNION -> {
                for (Member m : t.members()) {
                    if (m.isStatic()) {
                        continue;
                    }
                    if (m.isBitField()) {
                        put(out, offset + m.byteOffset(), 1, INTEGER);
                        continue;
                    }
                    long align = Math.min(8, Math.max(1, m.type().strip().size()));
                    if (m.type().strip().kind() == Type.Kind.FLOAT || m.type().isInteger() || m.type().isPointer()) {
                        if ((offset + m.byteOffset()) % align != 0) {
                            out[0] = MEMORY; // an unaligned scalar (packed struct)
                            return;
                        }
                    }
                    classify(m.type(), offset + m.byteOffset(), out, depth + 1);
                }
            }
            default -> out[0] = MEMORY;
        }
    }

    private static void put(ArgumentClass[] out, long offset, long size, ArgumentClass c) {
        int first = (int) (offset / 8);
        int last = (int) ((offset + Math.max(1, size) - 1) / 8);
        for (int i = first; i <= last; i++) {
            if (i >= out.length) {
                out[0] = MEMORY;
                return;
            }
            out[i] = merge(out[i], c);
        }
    }

    /** psABI's merge: equal stays, NONE yields, MEMORY wins, then INTEGER over SSE. */
    private static ArgumentClass merge(ArgumentClass a, ArgumentClass b) {
        if (a == b || b == NONE) {
            return a;
        }
        if (a == NONE) {
            return b;
        }
        if (a == MEMORY || b == MEMORY) {
            return MEMORY;
        }
        return INTEGER;
    }
}
