package dev.quiesce.values;

/** C declarator spelling of a type, as gdb's {@code ptype}/{@code whatis} print it. */
final class TypeNames {
    private TypeNames() {
    }

    static String of(Type t) {
        return spell(t, "").trim();
    }

    /** {@code inner} is the declarator built so far (e.g. {@code *} for a pointer). */
    private static String spell(Type t, String inner) {
        if (t == null) {
            return "void" + pad(inner);
        }
        switch (t.kind()) {
            case POINTER:
            case REFERENCE: {
                String op = t.kind() == Type.Kind.POINTER ? "*" : "&";
                Type target = t.target();
                Type.Kind tk = target == null ? Type.Kind.VOID : target.kind();
                if (tk == Type.Kind.ARRAY || tk == Type.Kind.FUNCTION) {
                    return spell(target, "(" + op + inner + ")");
                }
                return spell(target, op + inner);
            }
            case CONST:
            case VOLATILE: {
                String q = t.kind() == Type.Kind.CONST ? "const" : "volatile";
                Type target = t.target();
                if (target != null && (target.kind() == Type.Kind.POINTER || target.kind() == Type.Kind.REFERENCE)) {
                    return spell(target, " " + q + (inner.isEmpty() ? "" : " " + inner));
                }
                return q + " " + spell(target, inner);
            }
            case ARRAY: {
                StringBuilder dims = new StringBuilder();
                for (Type.Bound b : t.bounds()) {
                    dims.append('[').append(b.constant() ? Long.toString(b.count()) : "").append(']');
                }
                String d = inner.isEmpty() ? " " + dims : inner + dims;
                return spell(t.target(), d);
            }
            case FUNCTION: {
                StringBuilder ps = new StringBuilder("(");
                for (int i = 0; i < t.parameters().size(); i++) {
                    ps.append(i == 0 ? "" : ", ").append(of(t.parameters().get(i)));
                }
                ps.append(t.parameters().isEmpty() ? "void)" : ")");
                return spell(t.target(), inner + ps);
            }
            case STRUCT:
                return tagged("struct", t) + pad(inner);
            case UNION:
                return tagged("union", t) + pad(inner);
            case ENUM:
                return tagged("enum", t) + pad(inner);
            case TYPEDEF:
                if (t.isTransparent()) {
                    return spell(t.target(), inner);
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
