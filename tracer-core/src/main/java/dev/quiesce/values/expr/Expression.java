package dev.quiesce.values.expr;

import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;
import dev.quiesce.values.call.FunctionCalls;

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

    /**
     * Whether it calls a free function or through a function pointer ({@code add(2, 3)}): that
     * always runs the program's code. A member call ({@code v.size()}) may be answered by a
     * library formatter without one, so it is decided when evaluated.
     */
    public boolean callsFunctions() {
        return callsFunctions(root);
    }

    private static boolean callsFunctions(Node n) {
        if (n instanceof Node.Call c && !(c.callee() instanceof Node.Member)) {
            return true;
        }
        return n instanceof Node.Call c ? callsFunctions(c.callee()) || c.args().stream().anyMatch(Expression::callsFunctions)
                : n instanceof Node.Unary u ? callsFunctions(u.operand())
                : n instanceof Node.Binary b ? callsFunctions(b.left()) || callsFunctions(b.right())
                : n instanceof Node.Conditional c ? callsFunctions(c.condition()) || callsFunctions(c.then()) || callsFunctions(c.otherwise())
                : n instanceof Node.Member m ? callsFunctions(m.object())
                : n instanceof Node.Index i ? callsFunctions(i.array()) || callsFunctions(i.index())
                : n instanceof Node.Cast c ? callsFunctions(c.operand())
                : n instanceof Node.Assign a ? callsFunctions(a.target()) || callsFunctions(a.value())
                : n instanceof Node.SizeofExpr s && callsFunctions(s.operand());
    }

    private static boolean contains(Node n) {
        return contains(n, Node.Assign.class);
    }

    /** Whether the tree holds a node of this kind. */
    private static boolean contains(Node n, Class<? extends Node> kind) {
        if (kind.isInstance(n)) {
            return true;
        }
        if (n instanceof Node.Call c) {
            return contains(c.callee(), kind) || c.args().stream().anyMatch(a -> contains(a, kind));
        }
        if (n instanceof Node.Unary u) {
            return contains(u.operand(), kind);
        }
        if (n instanceof Node.Binary b) {
            return contains(b.left(), kind) || contains(b.right(), kind);
        }
        if (n instanceof Node.Conditional c) {
            return contains(c.condition(), kind) || contains(c.then(), kind) || contains(c.otherwise(), kind);
        }
        if (n instanceof Node.Member m) {
            return contains(m.object(), kind);
        }
        if (n instanceof Node.Index i) {
            return contains(i.array(), kind) || contains(i.index(), kind);
        }
        if (n instanceof Node.Cast c) {
            return contains(c.operand(), kind);
        }
        if (n instanceof Node.SizeofExpr s) {
            return contains(s.operand(), kind);
        }
        return false;
    }

    /** Where no {@link FunctionCalls} is given (breakpoint conditions, log messages). */
    private static final FunctionCalls NO_CALLS = FunctionCalls.refused(
            "calls into the program are not supported here (only in the watch and debug console evaluations of a stopped thread)");

    /** Evaluates in a frame; assignments write to the program. */
    public Value evaluate(FrameContext frame) {
        return evaluate(frame, NO_CALLS);
    }

    /** Evaluates in a frame; assignments write to the program, calls go through {@code calls}. */
    public Value evaluate(FrameContext frame, FunctionCalls calls) {
        return new Evaluator(new Values(frame), true, calls).eval(root);
    }

    /** Evaluates without side effects: an assignment is an error. */
    public Value evaluateReadOnly(FrameContext frame) {
        return evaluateReadOnly(frame, NO_CALLS);
    }

    /** Evaluates without assignments; calls (which may change the program) go through {@code calls}. */
    public Value evaluateReadOnly(FrameContext frame, FunctionCalls calls) {
        return new Evaluator(new Values(frame), false, calls).eval(root);
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
