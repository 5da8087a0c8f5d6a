package dev.quiesce.values.expr;

/** One lexical token; {@code pos} is its 1-based column in the expression text. */
record Token(Kind kind, String text, int pos) {
    enum Kind { IDENT, REGISTER, INT, FLOAT, CHAR, STRING, OP, END }

    boolean is(String op) {
        return (kind == Kind.OP || kind == Kind.IDENT) && text.equals(op);
    }
}
