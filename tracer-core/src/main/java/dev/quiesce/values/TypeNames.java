package dev.quiesce.values;

/** C declarator spelling of a type, as gdb's {@code ptype}/{@code whatis} print it. */
final class TypeNames {
    private TypeNames() {
    }

    static String of(Type t) {
        return of(t, 0);
    }

    private static String of(Type t, int depth) {
        return spell(t, "", depth).trim();
    }

    /**
     * {@code inner} is the declarator built so far (e.g. {@code *} for a pointer); {@code depth}
     * counts the types spelled around this one, which ends a cycle (a pointer to itself in corrupt
     * DWARF) after {@link Type#MAX_CHAIN} levels.
     */
    private static String spell(Type t, String inner, int depth) {
        if (t == null) {
            return "void" + pad(inner);
        }
        if (depth > Type.MAX_CHAIN) {
            return "<cyclic type>" + pad(inner);
        }
        switch (t.kind()) {
            case POINTER:
            case REFERENCE: {
                String op = t.kind() == Type.Kind.POINTER ? "*" : "&";
                Type target = t.target();
                Type.Kind tk = target == null ? Type.Kind.VOID : target.kind();
                if (tk == Type.Kind.ARRAY || tk == Type.Kind.FUNCTION) {
                    return spell(target, "(" + op + inner + ")", depth + 1);
                }
                return spell(target, op + inner, depth + 1);
            }
            case CONST:
            case VOLATILE: {
                String q = t.kind() == Type.Kind.CONST ? "const" : "volatile";
                Type target = t.target();
                if (target != null && (target.kind() == Type.Kind.POINTER || target.kind() == Type.Kind.REFERENCE)) {
                    return spell(target, " " + q + (inner.isEmpty() ? "" : " " + inner), depth + 1);
                }
                return q + " " + spell(target, inner, depth + 1);
            }
            case ARRAY: {
                StringBuilder dims = new StringBuilder();
                for (Type.Bound b : t.bounds()) {
                    dims.append('[').append(b.constant() ? Long.toString(b.count()) : "").append(']');
                }
                String d = inner.isEmpty() ? " " + dims : inner + dims;
                return spell(t.target(), d, depth + 1);
            }
            case FUNCTION: {
                StringBuilder ps = new StringBuilder("(");
                for (int i = 0; i < t.parameters().size(); i++) {
                    ps.append(i == 0 ? "" : ", ").append(of(t.parameters().get(i), depth + 1));
                }
                ps.append(t.parameters().isEmpty() ? "void)" : ")");
                return spell(t.target(), inner + ps, depth + 1);
            }
            case STRUCT:
                return tagged("struct", t) + pad(inner);
            case UNION:
                return tagged("union", t) + pad(inner);
            case ENUM:
                return tagged("enum", t) + pad(inner);
            case TYPEDEF:
                if (t.isTransparent()) {
                    return spell(t.target(), inner, depth + 1);
                }
                return t.rawName() + pad(inner);
            default:
                return (t.rawName() == null ? "?" : t.rawName()) + pad(inner);
        }
    }

    /** The reader names C tags with their keyword ("struct point") and C++ classes without. */
    private static String tagged(String keyword, Type t) {
        return t.rawName() == null ? keyword + " {...}" : t.rawName();
    }

    private static String pad(String inner) {
        if (inner.isEmpty()) {
            return "";
        }
        return inner.startsWith(" ") || inner.startsWith("[") ? inner : " " + inner;
    }
}
