package dev.quiesce.values.expr;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.Values;
import dev.quiesce.values.call.CallTarget;
import dev.quiesce.values.call.FunctionCalls;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A call expression: which function ({@code name(...)}, {@code obj.method(...)},
 * {@code p->method(...)}, a function pointer), its arguments converted as C converts them
 * (to the parameter types where known, else C's default promotions: float to double, small
 * integers to int), and the result's type (unknown for functions without debug information:
 * int, as gdb used to assume, unless the call is cast: {@code (size_t) strlen(s)}).
 */
final class CallEvaluation {
    private static final Type FLOAT_DOUBLE = Type.DOUBLE;

    private final Evaluator evaluator;
    private final Values values;
    private final FunctionCalls calls;

    CallEvaluation(Evaluator evaluator, Values values, FunctionCalls calls) {
        this.evaluator = evaluator;
        this.values = values;
        this.calls = calls;
    }

    /** {@code castTo}: the type a cast around the call gives its result, or null. */
    Value evaluate(Node.Call call, Type castTo) {
        List<Node> argNodes = call.args();
        List<Value> given = new ArrayList<>();
        for (Node n : argNodes) {
            given.add(evaluator.eval(n));
        }
        CallTarget target = target(call, given);
        if (argNodes.size() < target.parameters().size()
                || argNodes.size() > target.parameters().size() && !target.anyArguments()) {
            throw new ExpressionException(target.name() + "() takes " + target.parameters().size() + " argument"
                    + (target.parameters().size() == 1 ? "" : "s") + ", not " + argNodes.size() + ", at " + call.pos());
        }
        List<Value> args = new ArrayList<>();
        for (int i = 0; i < argNodes.size(); i++) {
            Value v = given.get(i);
            args.add(i < target.parameters().size()
                    ? toParameter(v, target.parameters().get(i), argNodes.get(i).pos())
                    : promoted(v));
        }
        Type returnType = target.returnType() != null ? target.returnType() : castTo != null ? castTo : Type.INT;
        Type r = returnType.strip();
        if (r.kind() == Type.Kind.FLOAT && r.size() > 8) {
            throw new ExpressionException(target.name() + "() returns " + returnType.name()
                    + " (x87 long double): calls returning that are not supported, at " + call.pos());
        }
        try {
            return calls.call(target, returnType, args);
        } catch (ExpressionException e) {
            throw e;
        } catch (dev.quiesce.values.ValueException e) {
            throw new ExpressionException(e.getMessage()); // complete as it is: no column to add
        }
    }

    /** C++ overloads: the one the arguments' types fit best (else the first, to be refused by count). */
    private static Optional<CallTarget> overload(List<CallTarget> candidates, List<Value> given) {
        if (candidates.size() <= 1) {
            return candidates.stream().findFirst();
        }
        return dev.quiesce.values.call.Overloads.choose(candidates, given).or(() -> candidates.stream().findFirst());
    }

    private CallTarget target(Node.Call call, List<Value> given) {
        Node f = call.callee();
        int count = call.args().size();
        if (f instanceof Node.Identifier id) {
            Optional<Value> local = values.frame().hasFrame() ? values.local(id.name()) : Optional.empty();
            if (local.isPresent()) {
                return pointerTarget(id.name(), local.get(), call.pos());
            }
            Optional<CallTarget> function = overload(calls.functions(id.name()), argumentTypes(given));
            if (function.isPresent()) {
                return function.get();
            }
            Optional<Value> global = values.global(id.name()); // a function pointer: handler(x)
            if (global.isPresent()) {
                return pointerTarget(id.name(), global.get(), call.pos());
            }
            throw new ExpressionException("no function '" + id.name() + "' in the program's modules, at " + id.pos());
        }
        if (f instanceof Node.Member m) {
            Value object = evaluator.deref(evaluator.eval(m.object()));
            Type t = object.type().strip();
            if (m.arrow()) {
                if (t.kind() != Type.Kind.POINTER) {
                    throw new ExpressionException("'->' needs a pointer, but the left side is a " + object.type().name() + ", at " + m.pos());
                }
                object = values.dereference(object);
            }
            Type cls = object.type().strip();
            if (cls.kind() != Type.Kind.STRUCT && cls.kind() != Type.Kind.CLASS && cls.kind() != Type.Kind.UNION) {
                throw new ExpressionException("cannot call '" + m.name() + "': " + object.type().name()
                        + " is not a class, at " + m.pos());
            }
            Optional<Value> member = values.member(object, m.name());
            if (member.isPresent()) {
                return pointerTarget(m.name(), member.get(), call.pos()); // a function-pointer member: s->callback(x)
            }
            final Value obj = object;
            Optional<CallTarget> chosen = overload(calls.methods(object, m.name()), argumentTypes(given));
            if (chosen.isPresent()) {
                return chosen.get();
            }
            return calls.method(object, m.name(), count).orElseThrow(() ->
                    new ExpressionException("no member function '" + m.name() + "' in " + obj.type().strip().name() + ", at " + m.pos()));
        }
        return pointerTarget("the function", evaluator.eval(f), call.pos());
    }

    /** The arguments as overloads see them: references followed, arrays kept (a string literal is a char array). */
    private List<Value> argumentTypes(List<Value> given) {
        List<Value> out = new ArrayList<>();
        for (Value v : given) {
            out.add(evaluator.deref(v));
        }
        return out;
    }

    private CallTarget pointerTarget(String name, Value v, int pos) {
        Type t = v.type().strip();
        if (t.kind() == Type.Kind.FUNCTION && v.hasAddress()) {
            return new CallTarget(name, v.address(), t.target() == null ? Type.VOID : t.target(), t.parameters(),
                    false, null, false);
        }
        if (t.kind() == Type.Kind.POINTER && t.target() != null && t.target().strip().kind() == Type.Kind.FUNCTION) {
            Type fn = t.target().strip();
            return new CallTarget(name, v.asLong(), fn.target() == null ? Type.VOID : fn.target(), fn.parameters(),
                    false, null, false);
        }
        throw new ExpressionException("'" + name + "' is a " + v.type().name() + ", not a function, at " + pos);
    }

    private Value toParameter(Value v, Type parameter, int pos) {
        Type p = parameter.strip();
        if (p.kind() == Type.Kind.REFERENCE) {
            Value target = evaluator.deref(v);
            if (!target.hasAddress()) {
                throw new ExpressionException("a reference parameter needs a value in memory, at " + pos);
            }
            return Value.ofLong(parameter, target.address());
        }
        v = evaluator.decay(evaluator.deref(v));
        if (p.kind() == Type.Kind.STRUCT || p.kind() == Type.Kind.CLASS || p.kind() == Type.Kind.UNION) {
            if (!v.type().strip().name().equals(p.name())) {
                throw new ExpressionException("cannot pass a " + v.type().name() + " as a " + parameter.name() + ", at " + pos);
            }
            return v.withType(parameter);
        }
        if (p.kind() == Type.Kind.POINTER && v.type().strip().kind() == Type.Kind.ARRAY) {
            return v; // a string literal: copied into the program's stack by the call
        }
        return evaluator.convert(v, parameter, pos);
    }

    /** C's default argument promotions, for "..." and unprototyped functions. */
    private Value promoted(Value v) {
        v = evaluator.decay(evaluator.deref(v));
        Type t = v.type().strip();
        if (t.kind() == Type.Kind.FLOAT && t.size() < 8) {
            return Value.ofDouble(FLOAT_DOUBLE, v.asDouble());
        }
        if (t.isInteger() && t.size() < 4) {
            return Value.ofLong(Type.INT, v.asLong());
        }
        return v;
    }
}
