package dev.quiesce.values.expr;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A recursive-descent parser with precedence climbing for the binary operators (C's precedences). */
final class Parser {
    private static final Map<String, Integer> PRECEDENCE = Map.ofEntries(
            Map.entry("||", 1), Map.entry("&&", 2), Map.entry("|", 3), Map.entry("^", 4), Map.entry("&", 5),
            Map.entry("==", 6), Map.entry("!=", 6), Map.entry("<", 7), Map.entry(">", 7), Map.entry("<=", 7),
            Map.entry(">=", 7), Map.entry("<<", 8), Map.entry(">>", 8), Map.entry("@", 9), Map.entry("+", 10),
            Map.entry("-", 10), Map.entry("*", 11), Map.entry("/", 11), Map.entry("%", 11)); // '@': gdb's artificial array
    static final Set<String> TYPE_WORDS = Set.of("struct", "union", "enum", "class", "unsigned", "signed", "int",
            "char", "long", "short", "float", "double", "void", "_Bool", "bool", "const", "volatile");

    /**
     * Longest expression and deepest nesting accepted. Parser and evaluator recurse per level,
     * and a client may send anything: 100,000 '(' or '-' overflowed the Java stack. A tree of at
     * most MAX_TOKENS nodes is at most that deep; each parenthesis costs a dozen parser frames.
     */
    static final int MAX_TOKENS = 1000;
    static final int MAX_NESTING = 200;

    private final List<Token> tokens;
    private int at;
    private int nesting; // unary() calls under way: one per parenthesis, prefix operator or cast

    private Parser(List<Token> tokens) {
        this.tokens = tokens;
    }

    static Node parse(String text) {
        if (text == null || text.isBlank()) {
            throw new ExpressionException("empty expression");
        }
        List<Token> tokens = Lexer.tokens(text);
        if (tokens.size() > MAX_TOKENS) {
            throw new ExpressionException("expression too long (" + tokens.size() + " tokens; at most " + MAX_TOKENS + ")");
        }
        Parser p = new Parser(tokens);
        Node n = p.assignment();
        if (p.peek().is(",") && p.peek(1).kind() == Token.Kind.INT && p.peek(2).kind() == Token.Kind.END) {
            // cppdbg's "p,N": the N elements p points to, gdb's *p@N
            Token comma = p.next();
            Node count = p.primary();
            n = new Node.Binary("@", new Node.Unary("*", n, comma.pos()), count, comma.pos());
        }
        if (p.peek().kind() != Token.Kind.END) {
            throw new ExpressionException("unexpected '" + p.peek().text() + "' at " + p.peek().pos());
        }
        return n;
    }

    private Token peek() {
        return tokens.get(at);
    }

    private Token peek(int ahead) {
        return tokens.get(Math.min(at + ahead, tokens.size() - 1));
    }

    private Token next() {
        return tokens.get(at++);
    }

    private Token expect(String op) {
        Token t = next();
        if (!t.is(op)) {
            throw new ExpressionException("expected '" + op + "' at " + t.pos()
                    + (t.kind() == Token.Kind.END ? " (end of expression)" : ", found '" + t.text() + "'"));
        }
        return t;
    }

    private Node assignment() {
        Node left = conditional();
        Token t = peek();
        if (t.kind() == Token.Kind.OP && t.text().endsWith("=") && t.text().length() <= 3
                && !List.of("==", "!=", "<=", ">=").contains(t.text())) {
            next();
            Node right = assignment();
            if (!t.text().equals("=")) {
                String op = t.text().substring(0, t.text().length() - 1);
                right = new Node.Binary(op, left, right, t.pos());
            }
            return new Node.Assign(left, right, t.pos());
        }
        return left;
    }

    private Node conditional() {
        Node c = binary(1);
        if (peek().is("?")) {
            Token q = next();
            Node then = assignment();
            expect(":");
            Node otherwise = conditional();
            return new Node.Conditional(c, then, otherwise, q.pos());
        }
        return c;
    }

    private Node binary(int minPrecedence) {
        Node left = unary();
        while (true) {
            Token t = peek();
            Integer p = t.kind() == Token.Kind.OP ? PRECEDENCE.get(t.text()) : null;
            if (p == null || p < minPrecedence) {
                return left;
            }
            next();
            Node right = binary(p + 1);
            left = new Node.Binary(t.text(), left, right, t.pos());
        }
    }

    private Node unary() {
        if (nesting >= MAX_NESTING) {
            throw new ExpressionException("expression nested too deeply (more than " + MAX_NESTING + " levels), at " + peek().pos());
        }
        nesting++;
        try {
            return unaryLevel();
        } finally {
            nesting--;
        }
    }

    private Node unaryLevel() {
        Token t = peek();
        if (t.kind() == Token.Kind.OP && Set.of("-", "+", "!", "~", "*", "&").contains(t.text())) {
            next();
            return new Node.Unary(t.text(), unary(), t.pos());
        }
        if (t.is("++") || t.is("--")) {
            throw new ExpressionException("'" + t.text() + "' is not supported, at " + t.pos() + "; use an assignment");
        }
        if (t.kind() == Token.Kind.IDENT && t.text().equals("sizeof")) {
            next();
            if (peek().is("(") && startsType(1)) {
                next();
                Node.TypeName type = typeName();
                expect(")");
                return new Node.SizeofType(type, t.pos());
            }
            return new Node.SizeofExpr(unary(), t.pos());
        }
        if (t.is("(") && startsType(1)) {
            next();
            Node.TypeName type = typeName();
            expect(")");
            return new Node.Cast(type, unary(), t.pos());
        }
        return postfix();
    }

    /** Whether a type name starts {@code ahead} tokens on: a type keyword, or "(name *...)" / "(name) operand". */
    private boolean startsType(int ahead) {
        Token t = peek(ahead);
        if (t.kind() != Token.Kind.IDENT) {
            return false;
        }
        if (TYPE_WORDS.contains(t.text())) {
            return true;
        }
        int k = ahead + 1;
        while (peek(k).is("*")) {
            k++;
        }
        if (!peek(k).is(")")) {
            return false;
        }
        if (k > ahead + 1 && peek(k + 1).kind() != Token.Kind.END && !isBinaryOperator(peek(k + 1))) {
            return true; // (name *) x
        }
        if (k > ahead + 1) {
            return false;
        }
        Token after = peek(k + 1);
        // (name) followed by an operand: a cast to a typedef
        return after.kind() == Token.Kind.IDENT || after.kind() == Token.Kind.INT || after.kind() == Token.Kind.FLOAT
                || after.kind() == Token.Kind.CHAR || after.kind() == Token.Kind.REGISTER || after.is("(");
    }

    private static boolean isBinaryOperator(Token t) {
        return t.kind() == Token.Kind.OP && (PRECEDENCE.containsKey(t.text()) || t.is(")") || t.is("]") || t.is(",")
                || t.is("?") || t.is(":") || t.is("="));
    }

    private Node.TypeName typeName() {
        int pos = peek().pos();
        StringBuilder b = new StringBuilder();
        while (peek().kind() == Token.Kind.IDENT) {
            String w = next().text();
            if (w.equals("const") || w.equals("volatile")) {
                continue;
            }
            b.append(b.length() == 0 ? "" : " ").append(w);
            if (!TYPE_WORDS.contains(w)) {
                break; // a typedef or tag name ends the base type
            }
        }
        int pointers = 0;
        while (peek().is("*") || peek().is("const")) {
            if (next().is("*")) {
                pointers++;
            }
        }
        if (b.length() == 0) {
            throw new ExpressionException("expected a type name at " + pos);
        }
        return new Node.TypeName(b.toString(), pointers, pos);
    }

    /** {@code static_cast<T>(x)} and the other C++ casts: the first three convert as a C cast does. */
    private Node cxxCast() {
        Token keyword = next();
        expect("<");
        Node.TypeName type = typeName();
        expect(">");
        expect("(");
        Node operand = assignment();
        expect(")");
        return keyword.text().equals("dynamic_cast") ? new Node.DynamicCast(type, operand, keyword.pos())
                : new Node.Cast(type, operand, keyword.pos());
    }

    private Node postfix() {
        Node n = primary();
        while (true) {
            Token t = peek();
            if (t.is(".") || t.is("->")) {
                next();
                Token name = next();
                if (name.kind() != Token.Kind.IDENT) {
                    throw new ExpressionException("expected a member name after '" + t.text() + "' at " + name.pos());
                }
                n = new Node.Member(n, name.text(), t.is("->"), name.pos());
            } else if (t.is("[")) {
                next();
                Node index = assignment();
                expect("]");
                n = new Node.Index(n, index, t.pos());
            } else if (t.is("(")) {
                next();
                java.util.List<Node> args = new java.util.ArrayList<>();
                while (!peek().is(")")) {
                    args.add(assignment());
                    if (!peek().is(")")) {
                        expect(",");
                    }
                }
                expect(")");
                n = new Node.Call(n, args, t.pos());
            } else {
                return n;
            }
        }
    }

    static final Set<String> CXX_CASTS = Set.of("static_cast", "reinterpret_cast", "const_cast", "dynamic_cast");

    private Node primary() {
        if (peek().kind() == Token.Kind.IDENT && CXX_CASTS.contains(peek().text()) && peek(1).is("<")) {
            return cxxCast();
        }
        Token t = next();
        switch (t.kind()) {
            case INT: {
                String s = t.text().toLowerCase();
                boolean unsigned = s.contains("u");
                boolean isLong = s.contains("l");
                String digits = s.replaceAll("[ul]+$", "");
                long v;
                try {
                    if (digits.startsWith("0x")) {
                        v = Long.parseUnsignedLong(digits.substring(2), 16);
                    } else if (digits.length() > 1 && digits.startsWith("0")) {
                        v = Long.parseUnsignedLong(digits.substring(1), 8);
                    } else {
                        v = Long.parseUnsignedLong(digits);
                    }
                } catch (NumberFormatException e) {
                    throw new ExpressionException("invalid number '" + t.text() + "' at " + t.pos());
                }
                return new Node.IntLiteral(v, unsigned, isLong, t.pos());
            }
            case FLOAT:
                try {
                    return new Node.FloatLiteral(Double.parseDouble(t.text().replaceAll("[fFlL]$", "")),
                            t.text().matches(".*[fF]$"), t.pos());
                } catch (NumberFormatException e) {
                    throw new ExpressionException("invalid number '" + t.text() + "' at " + t.pos());
                }
            case CHAR:
                return new Node.CharLiteral(t.text().charAt(0), t.pos());
            case STRING:
                return new Node.StringLiteral(t.text(), t.pos());
            case IDENT:
                return new Node.Identifier(t.text(), t.pos());
            case REGISTER:
                return new Node.Register(t.text(), t.pos());
            case END:
                throw new ExpressionException("the expression ends too early, at " + t.pos());
            default:
                if (t.is("(")) {
                    Node n = assignment();
                    expect(")");
                    return n;
                }
                throw new ExpressionException("unexpected '" + t.text() + "' at " + t.pos());
        }
    }
}
