package dev.quiesce.values.expr;

/** The parsed expression tree. {@code pos} is the 1-based column for error messages. */
sealed interface Node {
    int pos();

    record IntLiteral(long value, boolean unsigned, boolean isLong, int pos) implements Node {
    }

    record FloatLiteral(double value, boolean isFloat, int pos) implements Node {
    }

    record CharLiteral(char value, int pos) implements Node {
    }

    record StringLiteral(String value, int pos) implements Node {
    }

    record Identifier(String name, int pos) implements Node {
    }

    record Register(String name, int pos) implements Node {
    }

    record Unary(String op, Node operand, int pos) implements Node {
    }

    record Binary(String op, Node left, Node right, int pos) implements Node {
    }

    record Conditional(Node condition, Node then, Node otherwise, int pos) implements Node {
    }

    record Assign(Node target, Node value, int pos) implements Node {
    }

    record Member(Node object, String name, boolean arrow, int pos) implements Node {
    }

    record Index(Node array, Node index, int pos) implements Node {
    }

    /** {@code callee(args)}: only library methods answered from their object's fields ({@code v.size()}) evaluate. */
    record Call(Node callee, java.util.List<Node> args, int pos) implements Node {
    }

    record Cast(TypeName type, Node operand, int pos) implements Node {
    }

    /** {@code dynamic_cast<T *>(p)}: by the dynamic type the object's vtable names. */
    record DynamicCast(TypeName type, Node operand, int pos) implements Node {
    }

    record SizeofType(TypeName type, int pos) implements Node {
    }

    record SizeofExpr(Node operand, int pos) implements Node {
    }

    /** A type as written in a cast: a base name and a number of '*'. */
    record TypeName(String base, int pointers, int pos) {
    }
}
