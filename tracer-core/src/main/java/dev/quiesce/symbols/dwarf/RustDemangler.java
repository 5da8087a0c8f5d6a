package dev.quiesce.symbols.dwarf;

import java.util.regex.Pattern;

/**
 * Rust symbol names as {@code nm -C} shows them: the legacy scheme ({@code _ZN..17h<hash>E},
 * the hash dropped, {@code $LT$}-style escapes decoded) and the v0 scheme ({@code _R...}, RFC
 * 2603: paths, impls, generic arguments, types, constants and back-references; crate
 * disambiguators not shown). Null for a name of neither form or one that does not parse.
 * Back-references only point backwards and the output is bounded, so corrupt input ends.
 */
public final class RustDemangler {
    private static final Pattern LEGACY = Pattern.compile("_ZN.*17h[0-9a-f]{16}E(\\.llvm\\.\\d+)?");
    /** Longest demangled name made: back-references can double the output at each step. */
    private static final int MAX_OUTPUT = 4096;
    private static final int MAX_DEPTH = 64;

    private RustDemangler() {
    }

    /** The demangled name of a Rust symbol, or null. */
    public static String demangle(String mangled) {
        if (mangled == null) {
            return null;
        }
        try {
            if (mangled.startsWith("_R")) {
                return new V0(mangled).symbol();
            }
            if (LEGACY.matcher(mangled).matches()) {
                return legacy(mangled);
            }
        } catch (RuntimeException e) { // malformed: not demangled
            return null;
        }
        return null;
    }

    private static String legacy(String s) {
        int i = 3;
        StringBuilder out = new StringBuilder();
        java.util.List<String> parts = new java.util.ArrayList<>();
        while (i < s.length() && s.charAt(i) != 'E') {
            int len = 0;
            int start = i;
            while (Character.isDigit(s.charAt(i))) {
                len = len * 10 + s.charAt(i++) - '0';
                if (len > s.length()) {
                    return null;
                }
            }
            if (i == start || i + len > s.length()) {
                return null;
            }
            parts.add(s.substring(i, i + len));
            i += len;
        }
        parts.remove(parts.size() - 1); // h<hash>
        for (String p : parts) {
            if (out.length() > 0) {
                out.append("::");
            }
            out.append(unescape(p.startsWith("_$") ? p.substring(1) : p));
        }
        return out.toString();
    }

    private static String unescape(String p) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < p.length(); ) {
            char c = p.charAt(i);
            if (c == '$') {
                int end = p.indexOf('$', i + 1);
                if (end < 0) {
                    b.append(p, i, p.length());
                    break;
                }
                String code = p.substring(i + 1, end);
                switch (code) {
                    case "SP" -> b.append('@');
                    case "BP" -> b.append('*');
                    case "RF" -> b.append('&');
                    case "LT" -> b.append('<');
                    case "GT" -> b.append('>');
                    case "LP" -> b.append('(');
                    case "RP" -> b.append(')');
                    case "C" -> b.append(',');
                    default -> {
                        if (code.startsWith("u") && code.length() > 1) {
                            b.appendCodePoint(Integer.parseInt(code.substring(1), 16));
                        } else {
                            b.append('$').append(code).append('$');
                        }
                    }
                }
                i = end + 1;
            } else if (p.startsWith("..", i)) {
                b.append("::");
                i += 2;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** One v0 symbol: a cursor over it and the output. */
    private static final class V0 {
        private final String s;
        private int i;
        private int depth;
        private int boundLifetimes; // lifetimes bound by the for<..> binders around here: de Bruijn indices count from the innermost
        private final StringBuilder out = new StringBuilder();

        V0(String s) {
            this.s = s;
        }

        String symbol() {
            i = 2;
            if (Character.isDigit(peek())) {
                decimal(); // encoding version
            }
            path(true);
            return out.toString();
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private char next() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("truncated");
            }
            return s.charAt(i++);
        }

        private boolean eat(char c) {
            if (peek() == c) {
                i++;
                return true;
            }
            return false;
        }

        private void emit(String t) {
            out.append(t);
            if (out.length() > MAX_OUTPUT) {
                throw new IllegalArgumentException("too long");
            }
        }

        private long decimal() {
            if (eat('0')) {
                return 0; // "0" alone: 00 is two numbers
            }
            long n = 0;
            int start = i;
            while (Character.isDigit(peek())) {
                n = n * 10 + (next() - '0');
                if (n > s.length()) {
                    throw new IllegalArgumentException("length");
                }
            }
            if (i == start) {
                throw new IllegalArgumentException("number");
            }
            return n;
        }

        /** {@code _} is 0, {@code <digits>_} is their base-62 value plus one. */
        private long base62() {
            if (eat('_')) {
                return 0;
            }
            long n = 0;
            while (true) {
                char c = next();
                if (c == '_') {
                    return n + 1;
                }
                int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : c >= 'A' && c <= 'Z' ? c - 'A' + 36 : -1;
                if (d < 0) {
                    throw new IllegalArgumentException("base62");
                }
                // a crate's disambiguator is a 64-bit hash: saturate (only back-references use the value, and check it)
                n = n > (Long.MAX_VALUE / 2 - d) / 62 ? Long.MAX_VALUE / 2 : n * 62 + d;
            }
        }

        private long disambiguator() {
            return eat('s') ? base62() + 1 : 0;
        }

        private String identifier() {
            boolean puny = eat('u');
            long n = decimal();
            eat('_');
            if (i + n > s.length()) {
                throw new IllegalArgumentException("identifier");
            }
            String id = s.substring(i, (int) (i + n));
            i += (int) n;
            return puny ? "punycode{" + id + "}" : id;
        }

        private void enter() {
            if (++depth > MAX_DEPTH) {
                throw new IllegalArgumentException("depth");
            }
        }

        /** Runs {@code body} at an earlier position (a back-reference), then returns here. */
        private void backref(Runnable body) {
            int target = (int) base62() + 2;
            if (target >= i - 1 || target < 2) {
                throw new IllegalArgumentException("backref");
            }
            int here = i;
            i = target;
            body.run();
            i = here;
        }

        /** {@code value}: generic arguments of a function path print as {@code ::<..>}, of a type as {@code <..>}. */
        private void path(boolean value) {
            enter();
            char c = next();
            switch (c) {
                case 'C' -> {
                    disambiguator();
                    emit(identifier());
                }
                case 'M' -> {
                    disambiguator();
                    skipPath();
                    emit("<");
                    type();
                    emit(">");
                }
                case 'X' -> {
                    disambiguator();
                    skipPath();
                    emit("<");
                    type();
                    emit(" as ");
                    path(false);
                    emit(">");
                }
                case 'Y' -> {
                    emit("<");
                    type();
                    emit(" as ");
                    path(false);
                    emit(">");
                }
                case 'N' -> {
                    char ns = next();
                    path(value);
                    long dis = disambiguator();
                    String id = identifier();
                    if (Character.isUpperCase(ns)) {
                        String kind = ns == 'C' ? "closure" : ns == 'S' ? "shim" : String.valueOf(ns);
                        emit("::{" + kind + (id.isEmpty() ? "" : ":" + id) + "#" + dis + "}");
                    } else if (!id.isEmpty()) {
                        emit("::" + id);
                    }
                }
                case 'I' -> {
                    path(value);
                    emit(value ? "::<" : "<");
                    for (int n = 0; !eat('E'); n++) {
                        emit(n == 0 ? "" : ", ");
                        genericArg();
                    }
                    emit(">");
                }
                case 'B' -> backref(() -> path(value));
                default -> throw new IllegalArgumentException("path " + c);
            }
            depth--;
        }

        /** An impl's own path (where the impl is): not shown. */
        private void skipPath() {
            int mark = out.length();
            path(false);
            out.setLength(mark);
        }

        private void genericArg() {
            if (eat('L')) {
                lifetime(base62());
            } else if (eat('K')) {
                constant();
            } else {
                type();
            }
        }

        private void lifetime(long n) {
            long at = boundLifetimes - n;
            emit(n == 0 || at < 0 ? "'_" : at < 26 ? "'" + (char) ('a' + at) : "'_" + at);
        }

        /** {@code G<n>}: a binder of n+1 lifetimes, shown as {@code for<'a, 'b> }; returns how many to unbind after. */
        private int binder() {
            if (!eat('G')) {
                return 0;
            }
            long count = base62() + 1;
            if (count > 64) {
                throw new IllegalArgumentException("binder");
            }
            emit("for<");
            for (int k = 0; k < count; k++) {
                emit((k == 0 ? "" : ", ") + (boundLifetimes + k < 26 ? "'" + (char) ('a' + boundLifetimes + k) : "'_" + (boundLifetimes + k)));
            }
            emit("> ");
            boundLifetimes += (int) count;
            return (int) count;
        }

        private static String basic(char c) {
            return switch (c) {
                case 'a' -> "i8";
                case 'b' -> "bool";
                case 'c' -> "char";
                case 'd' -> "f64";
                case 'e' -> "str";
                case 'f' -> "f32";
                case 'h' -> "u8";
                case 'i' -> "isize";
                case 'j' -> "usize";
                case 'l' -> "i32";
                case 'm' -> "u32";
                case 'n' -> "i128";
                case 'o' -> "u128";
                case 's' -> "i16";
                case 't' -> "u16";
                case 'u' -> "()";
                case 'v' -> "...";
                case 'x' -> "i64";
                case 'y' -> "u64";
                case 'z' -> "!";
                case 'p' -> "_";
                default -> null;
            };
        }

        private void type() {
            enter();
            char c = peek();
            String b = basic(c);
            if (b != null) {
                i++;
                emit(b);
            } else {
                switch (c) {
                    case 'A', 'S' -> {
                        i++;
                        emit("[");
                        type();
                        if (c == 'A') {
                            emit("; ");
                            constant();
                        }
                        emit("]");
                    }
                    case 'T' -> {
                        i++;
                        emit("(");
                        int n = 0;
                        for (; !eat('E'); n++) {
                            emit(n == 0 ? "" : ", ");
                            type();
                        }
                        emit(n == 1 ? ",)" : ")");
                    }
                    case 'R', 'Q' -> {
                        i++;
                        emit(c == 'R' ? "&" : "&mut ");
                        if (eat('L')) {
                            long l = base62();
                            if (l != 0) {
                                lifetime(l);
                                emit(" ");
                            }
                        }
                        type();
                    }
                    case 'P', 'O' -> {
                        i++;
                        emit(c == 'P' ? "*const " : "*mut ");
                        type();
                    }
                    case 'F' -> {
                        i++;
                        fnSig();
                    }
                    case 'D' -> {
                        i++;
                        dyn();
                    }
                    case 'B' -> {
                        i++;
                        backref(this::type);
                    }
                    default -> path(false);
                }
            }
            depth--;
        }

        private void fnSig() {
            int bound = binder();
            if (eat('U')) {
                emit("unsafe ");
            }
            if (eat('K')) {
                emit("extern \"" + (eat('C') ? "C" : identifier().replace('_', '-')) + "\" ");
            }
            emit("fn(");
            for (int n = 0; !eat('E'); n++) {
                emit(n == 0 ? "" : ", ");
                type();
            }
            emit(")");
            if (peek() == 'u') {
                i++;
            } else {
                emit(" -> ");
                type();
            }
            boundLifetimes -= bound;
        }

        private void dyn() {
            emit("dyn ");
            int bound = binder();
            for (int n = 0; !eat('E'); n++) {
                emit(n == 0 ? "" : " + ");
                dynTrait();
            }
            boundLifetimes -= bound;
            if (eat('L')) {
                long l = base62();
                if (l != 0) {
                    emit(" + ");
                    lifetime(l);
                }
            }
        }

        /** A trait of a dyn type with its associated-type bindings: {@code Fn<(), Output = i32>}. */
        private void dynTrait() {
            int mark = out.length();
            path(false);
            boolean open = false;
            while (eat('p')) {
                if (!open && out.charAt(out.length() - 1) == '>') {
                    out.setLength(out.length() - 1);
                    emit(", ");
                } else {
                    emit(open ? ", " : "<");
                }
                open = true;
                emit(identifier() + " = ");
                type();
            }
            if (open) {
                emit(">");
            }
            if (out.length() < mark) {
                throw new IllegalArgumentException("dyn");
            }
        }

        private void constant() {
            if (eat('p')) {
                emit("_");
                return;
            }
            if (peek() == 'B') {
                i++;
                backref(this::constant);
                return;
            }
            char t = next();
            boolean negative = eat('n');
            int start = i;
            while (peek() != '_') {
                next();
            }
            String hex = s.substring(start, i);
            i++;
            java.math.BigInteger v = hex.isEmpty() ? java.math.BigInteger.ZERO : new java.math.BigInteger(hex, 16);
            switch (t) {
                case 'b' -> emit(v.signum() == 0 ? "false" : "true");
                case 'c' -> emit("'" + new String(Character.toChars(v.intValue())) + "'");
                default -> emit((negative ? "-" : "") + v);
            }
        }
    }
}
