package dev.quiesce.values.expr;

import java.util.ArrayList;
import java.util.List;

/** Splits C expression text into tokens. */
final class Lexer {
    private static final String[] OPS = {"<<=", ">>=", "->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||", "+=", "-=",
        "*=", "/=", "++", "--", "+", "-", "*", "/", "%", "<", ">", "=", "!", "~", "&", "|", "^", "(", ")", "[", "]",
        ".", ",", "?", ":", "@"};

    private Lexer() {
    }

    static List<Token> tokens(String s) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int start = i;
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (Character.isLetter(c) || c == '_' || c == '$') {
                i++;
                while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_'
                        || s.startsWith("::", i) && i + 2 < s.length() && Character.isLetter(s.charAt(i + 2)))) {
                    i += s.startsWith("::", i) ? 2 : 1;
                }
                String text = s.substring(start, i);
                out.add(new Token(c == '$' ? Token.Kind.REGISTER : Token.Kind.IDENT, c == '$' ? text.substring(1) : text, start + 1));
                continue;
            }
            if (c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1)) && endsOperand(out)) {
                // Rust's tuple field: t.0, w.1.0; rustc names those fields __0, __1
                out.add(new Token(Token.Kind.OP, ".", start + 1));
                i++;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                out.add(new Token(Token.Kind.IDENT, "__" + s.substring(start + 1, i), start + 2));
                continue;
            }
            if (Character.isDigit(c) || c == '.' && i + 1 < s.length() && Character.isDigit(s.charAt(i + 1))) {
                boolean hex = s.startsWith("0x", i) || s.startsWith("0X", i);
                i += hex ? 2 : 0;
                boolean floating = false;
                while (i < s.length()) {
                    char d = s.charAt(i);
                    if (hex ? Character.digit(d, 16) >= 0 : Character.isDigit(d)) {
                        i++;
                    } else if (d == '_' && i + 1 < s.length() && Character.digit(s.charAt(i + 1), hex ? 16 : 10) >= 0) {
                        i++; // Rust's digit separator: 1_000
                    } else if (!hex && (d == '.' || d == 'e' || d == 'E')) {
                        floating = true;
                        i++;
                        if ((d == 'e' || d == 'E') && i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
                            i++;
                        }
                    } else {
                        break;
                    }
                }
                int end = i;
                String rustSuffix = rustSuffix(s, i);
                if (rustSuffix != null) { // Rust's 5u8, 1_000i64, 2.5f32: the C literal of that width and signedness
                    i += rustSuffix.length();
                    boolean f = rustSuffix.startsWith("f");
                    String digits = s.substring(start, end).replace("_", "");
                    String cSuffix = f ? "" : (rustSuffix.startsWith("u") ? "U" : "") + (rustSuffix.matches(".(64|128|size)") ? "L" : "");
                    out.add(new Token(floating || f ? Token.Kind.FLOAT : Token.Kind.INT, digits + cSuffix, start + 1));
                    continue;
                }
                while (i < s.length() && "uUlLfF".indexOf(s.charAt(i)) >= 0) {
                    floating |= !hex && (s.charAt(i) == 'f' || s.charAt(i) == 'F');
                    i++;
                }
                out.add(new Token(floating ? Token.Kind.FLOAT : Token.Kind.INT, s.substring(start, end).replace("_", "")
                        + (floating ? "" : s.substring(end, i)), start + 1));
                continue;
            }
            if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != c) {
                    char d = s.charAt(i++);
                    if (d == '\\' && i < s.length()) {
                        char e = s.charAt(i++);
                        switch (e) {
                            case 'n' -> b.append('\n');
                            case 't' -> b.append('\t');
                            case 'r' -> b.append('\r');
                            case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                                int v = e - '0';
                                while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '7' && v < 32) {
                                    v = v * 8 + s.charAt(i++) - '0';
                                }
                                b.append((char) v);
                            }
                            default -> b.append(e);
                        }
                    } else {
                        b.append(d);
                    }
                }
                if (i >= s.length()) {
                    throw new ExpressionException("unterminated " + (c == '"' ? "string" : "character") + " at " + (start + 1));
                }
                i++;
                if (c == '\'' && b.length() != 1) {
                    throw new ExpressionException("a character literal holds one character, at " + (start + 1));
                }
                out.add(new Token(c == '"' ? Token.Kind.STRING : Token.Kind.CHAR, b.toString(), start + 1));
                continue;
            }
            String op = null;
            for (String o : OPS) {
                if (s.startsWith(o, i)) {
                    op = o;
                    break;
                }
            }
            if (op == null) {
                throw new ExpressionException("unexpected '" + c + "' at " + (start + 1));
            }
            out.add(new Token(Token.Kind.OP, op, start + 1));
            i += op.length();
        }
        out.add(new Token(Token.Kind.END, "", s.length() + 1));
        return out;
    }

    /** Whether the last token ends an operand (a name, ')' or ']'), after which '.' and digits are a field, not a number. */
    private static boolean endsOperand(List<Token> out) {
        if (out.isEmpty()) {
            return false;
        }
        Token last = out.get(out.size() - 1);
        return last.kind() == Token.Kind.IDENT || last.is(")") || last.is("]");
    }

    private static final java.util.regex.Pattern RUST_SUFFIX = java.util.regex.Pattern.compile("([iu](8|16|32|64|128|size)|f32|f64)(?![A-Za-z0-9_])");

    /** A Rust integer or float suffix at {@code i} ({@code u8}, {@code i64}, {@code usize}, {@code f32}), or null. */
    private static String rustSuffix(String s, int i) {
        java.util.regex.Matcher m = RUST_SUFFIX.matcher(s);
        m.region(i, s.length());
        return m.lookingAt() ? m.group(1) : null;
    }
}
