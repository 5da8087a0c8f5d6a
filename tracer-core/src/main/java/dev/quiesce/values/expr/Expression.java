package dev.quiesce.values.expr;

import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;

/**
 * A C expression parsed once and evaluated many times (breakpoint conditions and logpoints keep
 * one per breakpoint). Evaluation reads only what the expression names.
 */
public final class Expression {
    private final String text;
    private final Node root;

    private Expression(String text, Node root) {
        this.text = text;
        this.root = root;
    }

    /** Parses, or throws {@link ExpressionException} naming the problem and its column. */
    public static Expression parse(String text) {
        return new Expression(text, Parser.parse(text));
    }

    public String text() {
        return text;
    }

    /** Whether evaluating it can change the program (an assignment anywhere in it). */
    public boolean hasSideEffects() {
        return contains(root);
    }

    private static boolean contains(Node n) {
        if (n instanceof Node.Assign) {
            return true;
        }
        if (n instanceof Node.Unary u) {
            return contains(u.operand());
        }
        if (n instanceof Node.Binary b) {
            return contains(b.left()) || contains(b.right());
        }
        if (n instanceof Node.Conditional c) {
            return contains(c.condition()) || contains(c.then()) || contains(c.otherwise());
        }
        if (n instanceof Node.Member m) {
            return contains(m.object());
        }
        if (n instanceof Node.Index i) {
            return contains(i.array()) || contains(i.index());
        }
        if (n instanceof Node.Call c) {
            return contains(c.callee()) || c.args().stream().anyMatch(Expression::contains);
        }
        if (n instanceof Node.Cast c) {
            return contains(c.operand());
        }
        if (n instanceof Node.SizeofExpr s) {
            return contains(s.operand());
        }
        return false;
    }

    /** Evaluates in a frame; assignments write to the program. */
    public Value evaluate(FrameContext frame) {
        return new Evaluator(new Values(frame), true).eval(root);
    }

    /** Evaluates without side effects: an assignment is an error. */
    public Value evaluateReadOnly(FrameContext frame) {
        return new Evaluator(new Values(frame), false).eval(root);
    }

    /** For conditions: the value is non-zero. */
    public boolean isTrue(FrameContext frame) {
        return evaluateReadOnly(frame).isTrue();
    }

    @Override
    public String toString() {
        return text;
    }
}
