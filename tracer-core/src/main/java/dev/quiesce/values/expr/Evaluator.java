package dev.quiesce.values.expr;

import dev.quiesce.values.Member;
import dev.quiesce.values.RustText;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.Values;
import dev.quiesce.values.call.FunctionCalls;
import java.nio.charset.StandardCharsets;
import dev.quiesce.values.stl.StlFormatters;
import dev.quiesce.values.stl.StlView;
import java.util.Map;
import java.util.Optional;

/** Evaluates a parsed expression in one frame, with C's conversions (simplified: int, long, double). */
final class Evaluator {
    private static final Map<String, Type> BUILTIN = Map.ofEntries(
            Map.entry("int", Type.INT), Map.entry("signed int", Type.INT), Map.entry("signed", Type.INT),
            Map.entry("unsigned int", Type.UINT), Map.entry("unsigned", Type.UINT),
            Map.entry("long", Type.LONG), Map.entry("long int", Type.LONG), Map.entry("long long", Type.LONG),
            Map.entry("unsigned long", Type.ULONG), Map.entry("long unsigned int", Type.ULONG),
            Map.entry("unsigned long long", Type.ULONG), Map.entry("char", Type.CHAR),
            Map.entry("unsigned char", new Type(Type.Kind.CHAR, "unsigned char", 1, false)),
            Map.entry("signed char", new Type(Type.Kind.CHAR, "signed char", 1, true)),
            Map.entry("short", new Type(Type.Kind.INT, "short", 2, true)),
            Map.entry("unsigned short", new Type(Type.Kind.INT, "unsigned short", 2, false)),
            Map.entry("double", Type.DOUBLE), Map.entry("float", new Type(Type.Kind.FLOAT, "float", 4, true)),
            Map.entry("_Bool", Type.BOOL), Map.entry("bool", new Type(Type.Kind.BOOL, "bool", 1, false)),
            Map.entry("void", Type.VOID));

    private final Values values;
    private final boolean allowSideEffects;
    private final boolean cxx;
    private final boolean rust;
    private final CallEvaluation calls;

    Evaluator(Values values, boolean allowSideEffects, FunctionCalls calls) {
        this.values = values;
        this.allowSideEffects = allowSideEffects;
        this.cxx = values.frame().function() != null && Languages.isCxx(values.frame().function().language());
        this.rust = values.frame().function() != null && Languages.isRust(values.frame().function().language());
        this.calls = new CallEvaluation(this, values, calls);
    }

    Value eval(Node n) {
        try {
            return evalNode(n);
        } catch (ExpressionException e) {
            throw e;
        } catch (dev.quiesce.values.MemoryAccessError e) {
            throw new ExpressionException(e.getMessage()); // gdb's words, complete as they are
        } catch (ValueException e) {
            throw new ExpressionException(e.getMessage() + " (at " + n.pos() + ")");
        }
    }

    private Value evalNode(Node n) {
        if (n instanceof Node.IntLiteral i) {
            Type t = i.isLong() || i.value() > Integer.MAX_VALUE || i.value() < 0
                    ? (i.unsigned() ? Type.ULONG : Type.LONG) : (i.unsigned() ? Type.UINT : Type.INT);
            return Value.ofLong(t, i.value());
        }
        if (n instanceof Node.FloatLiteral f) {
            return f.isFloat() ? Value.ofDouble(BUILTIN.get("float"), f.value()) : Value.ofDouble(Type.DOUBLE, f.value());
        }
        if (n instanceof Node.CharLiteral c) {
            return Value.ofLong(Type.CHAR, c.value());
        }
        if (n instanceof Node.StringLiteral s) {
            byte[] b = (s.value() + "\0").getBytes(StandardCharsets.ISO_8859_1);
            return Value.of(Type.arrayOf(Type.CHAR, b.length), b);
        }
        if (n instanceof Node.Identifier id) {
            return identifier(id);
        }
        if (n instanceof Node.Register r) {
            if (!values.frame().hasFrame()) {
                throw new ExpressionException("$" + r.name() + " needs a stopped thread's frame, at " + r.pos());
            }
            return values.register(r.name()).orElseThrow(() ->
                    new ExpressionException("unknown register '$" + r.name() + "' at " + r.pos()));
        }
        if (n instanceof Node.Member m) {
            return member(m);
        }
        if (n instanceof Node.Index ix) {
            return index(ix);
        }
        if (n instanceof Node.Call c) {
            return call(c, null);
        }
        if (n instanceof Node.Unary u) {
            return unary(u);
        }
        if (n instanceof Node.Binary b && b.op().equals("@")) {
            return cxx().artificialArray(eval(b.left()), deref(eval(b.right())), b.pos());
        }
        if (n instanceof Node.DynamicCast c) {
            return cxx().dynamicCast(type(c.type()), decay(deref(eval(c.operand()))), c.pos());
        }
        if (n instanceof Node.Binary b) {
            return binary(b.op(), b.left(), b.right(), b.pos());
        }
        if (n instanceof Node.Conditional c) {
            return truth(eval(c.condition()), c.pos()) ? eval(c.then()) : eval(c.otherwise());
        }
        if (n instanceof Node.Assign a) {
            if (!allowSideEffects) {
                throw new ExpressionException("assignment is not allowed here (no side effects in watch and hover), at " + a.pos());
            }
            Value target = eval(a.target());
            Value v = convert(decay(eval(a.value())), target.type(), a.pos());
            return values.assign(target, v);
        }
        if (n instanceof Node.Cast c) {
            if (c.operand() instanceof Node.Call call) {
                // (size_t) strlen(s): the cast gives a function without debug information its return type
                return convert(call(call, type(c.type())), type(c.type()), c.pos());
            }
            return convert(decay(eval(c.operand())), type(c.type()), c.pos());
        }
        if (n instanceof Node.SizeofType s) {
            return Value.ofLong(Type.ULONG, type(s.type()).size());
        }
        if (n instanceof Node.SizeofExpr s) {
            if (s.operand() instanceof Node.Identifier id && !isVariable(id.name())) {
                // sizeof(Table) with a typedef or class name: "(name)" alone parses as an expression
                Optional<Type> named = values.frame().types().flatMap(tr -> tr.typeNamed(id.name()));
                if (named.isPresent()) {
                    return Value.ofLong(Type.ULONG, named.get().size());
                }
            }
            Value v = eval(s.operand());
            return Value.ofLong(Type.ULONG, v.type().strip().kind() == Type.Kind.ARRAY ? v.bytes().length : v.type().size());
        }
        throw new ExpressionException("cannot evaluate this expression, at " + n.pos());
    }

    private Value identifier(Node.Identifier id) {
        String name = id.name();
        if (values.frame().hasFrame()) {
            Optional<Value> local = values.local(name);
            if (local.isPresent()) {
                return local.get();
            }
        }
        Optional<Value> member = implicitThis(name);
        if (member.isPresent()) {
            return member.get();
        }
        Optional<Value> global = values.global(name);
        if (global.isPresent()) {
            return global.get();
        }
        Optional<Value> constant = enumerator(name);
        if (constant.isPresent()) {
            return constant.get();
        }
        if (name.equals("true") || name.equals("false")) {
            return Value.ofLong(Type.BOOL, name.equals("true") ? 1 : 0);
        }
        if (name.equals("NULL") || name.equals("nullptr")) {
            return Value.ofLong(Type.pointerTo(Type.VOID), 0);
        }
        throw new ExpressionException("unknown identifier '" + name + "' at " + id.pos());
    }

    private boolean isVariable(String name) {
        try {
            identifier(new Node.Identifier(name, 0));
            return true;
        } catch (ExpressionException e) {
            return false;
        }
    }

    /** In a C++ method, a member of *this by its bare name (gdb looks there after the locals). */
    /**
     * An enumerator by name as C++ scopes it: in a method of {@code ns::Square}, {@code SOLID}
     * is tried as {@code ns::Square::SOLID}, then {@code ns::SOLID}, then at top level.
     */
    private Optional<Value> enumerator(String name) {
        var types = values.frame().types();
        if (types.isEmpty()) {
            return Optional.empty();
        }
        var function = values.frame().function();
        if (cxx && function != null && function.qualifiedName() != null && !name.contains("::")) {
            String scope = function.qualifiedName();
            for (int cut = scope.lastIndexOf("::"); cut > 0; cut = scope.lastIndexOf("::", cut - 1)) {
                Optional<Value> inScope = types.get().enumerator(scope.substring(0, cut + 2) + name);
                if (inScope.isPresent()) {
                    return inScope;
                }
            }
        }
        return types.get().enumerator(name);
    }

    private Optional<Value> implicitThis(String name) {
        if (!cxx || !values.frame().hasFrame() || name.contains("::")) {
            return Optional.empty();
        }
        Optional<Value> self = values.local("this");
        if (self.isEmpty() || self.get().optimizedOut() || self.get().type().strip().kind() != Type.Kind.POINTER) {
            return Optional.empty();
        }
        Value object = values.dereference(self.get());
        return values.member(object, name);
    }

    /**
     * In a Rust frame, a reference or Box to a struct is followed to the struct ({@code names[1]},
     * {@code names.len()} with {@code names: &Vec}), as Rust's auto-deref does; elsewhere unchanged.
     */
    private Value rustDeref(Value v) {
        Value at = v;
        for (int i = 0; rust && i < 8; i++) {
            Type t = at.type().strip();
            Type target = t.kind() == Type.Kind.POINTER || t.kind() == Type.Kind.REFERENCE ? t.target() : null;
            if (target == null || target.strip().kind() != Type.Kind.STRUCT) {
                break;
            }
            at = values.dereference(at);
        }
        return at;
    }

    private CxxExpressions cxx() {
        return new CxxExpressions(values);
    }

    private Value member(Node.Member m) {
        Value object = eval(m.object());
        Type t = object.type().strip();
        for (int i = 0; rust && !m.arrow() && i < 8 && (t.kind() == Type.Kind.POINTER || t.kind() == Type.Kind.REFERENCE); i++) {
            object = values.dereference(object); // Rust's auto-deref: names.len on a &Vec, boxed.x on a Box
            t = object.type().strip();
        }
        Optional<StlView> smart = m.arrow() && t.kind() != Type.Kind.POINTER ? library(deref(object)) : Optional.empty();
        if (smart.isPresent() && smart.get().deref().isPresent()) {
            object = smart.get().deref().get(); // up->x on a smart pointer or an iterator
        } else if (m.arrow()) {
            if (t.kind() != Type.Kind.POINTER) {
                throw new ExpressionException("'->' needs a pointer, but " + describe(m.object()) + " is a "
                        + object.type().name() + ", at " + m.pos());
            }
            try {
                object = values.dereference(object);
            } catch (dev.quiesce.values.MemoryAccessError e) {
                // gdb reads only the member: p->next with p == NULL fails at 0x8, not 0x0
                return values.memberAt(object, m.name()).orElseThrow(() -> e);
            }
        } else if (t.kind() == Type.Kind.POINTER) {
            throw new ExpressionException("'.' on a pointer (" + object.type().name() + "): use '->', at " + m.pos());
        } else if (t.kind() == Type.Kind.REFERENCE) {
            object = values.dereference(object);
        }
        if (rust && object.type().strip().variants() != null) { // r.0 on Shape::Rect(a, b), c.radius on Shape::Circle {..}
            Member variant = RustText.activeVariant(values, object, object.type().strip().variants());
            if (variant == null) {
                throw new ExpressionException("no variant of " + object.type().name() + " has this discriminant, at " + m.pos());
            }
            object = values.member(object, variant);
        }
        Type s = object.type().strip();
        if (s.kind() != Type.Kind.STRUCT && s.kind() != Type.Kind.CLASS && s.kind() != Type.Kind.UNION) {
            throw new ExpressionException("no member '" + m.name() + "': " + object.type().name() + " is not a struct or union, at " + m.pos());
        }
        final Value obj = object;
        return values.member(object, m.name()).orElseThrow(() ->
                new ExpressionException("no member '" + m.name() + "' in " + obj.type().strip().name() + ", at " + m.pos()));
    }

    private Value index(Node.Index ix) {
        Value base = rustDeref(deref(eval(ix.array())));
        Value index = deref(eval(ix.index()));
        Optional<StlView> container = library(base);
        if (container.isPresent()) {
            String name = base.type().name();
            return container.get().index(index).orElseThrow(() ->
                    new ExpressionException("cannot index " + name + ", at " + ix.pos()));
        }
        if (!index.type().isInteger()) {
            if (base.type().isInteger()) {
                Value tmp = base;
                base = index;
                index = tmp;
            } else {
                throw new ExpressionException("an array index must be an integer, at " + ix.pos());
            }
        }
        Type t = base.type().strip();
        long i = index.asLong();
        if (t.kind() == Type.Kind.ARRAY) {
            return values.element(base, i);
        }
        if (t.kind() == Type.Kind.POINTER) {
            Type target = t.target();
            if (target.strip().kind() == Type.Kind.VOID) {
                throw new ExpressionException("cannot index a void pointer, at " + ix.pos());
            }
            return values.readAt(target, base.asLong() + i * target.size());
        }
        throw new ExpressionException("cannot index " + base.type().name() + " (not an array or pointer), at " + ix.pos());
    }

    /** The standard-library formatter's view of a value, if it is such an object. */
    private Optional<StlView> library(Value v) {
        Type.Kind k = v.type().strip().kind();
        return k == Type.Kind.STRUCT || k == Type.Kind.CLASS ? StlFormatters.view(values, v) : Optional.empty();
    }

    /**
     * {@code v.size()}, {@code s.c_str()}, {@code p->get()}, {@code v.at(3)}: methods of library
     * objects answered by their formatter from the object's fields. Anything else is a call
     * into the program ({@link CallEvaluation}), where the context allows one; {@code castTo}
     * is the type of a cast around the call, or null.
     */
    private Value call(Node.Call c, Type castTo) {
        if (c.callee() instanceof Node.Member m) {
            Value object = eval(m.object());
            if (m.arrow() && object.type().strip().kind() == Type.Kind.POINTER) {
                object = values.dereference(object);
            }
            object = rustDeref(object);
            Optional<StlView> view = library(deref(object));
            if (view.isPresent()) {
                Optional<Value> answer = m.name().equals("at") && c.args().size() == 1
                        ? view.get().index(deref(eval(c.args().get(0))))
                        : c.args().isEmpty() ? view.get().call(m.name()) : Optional.empty();
                if (answer.isPresent()) {
                    return answer.get();
                }
                // not answered from the fields: the library's own code is called (below), where allowed
            }
        }
        return calls.evaluate(c, castTo);
    }

    private Value unary(Node.Unary u) {
        Value v = eval(u.operand());
        switch (u.op()) {
            case "&":
                return values.addressOf(v);
            case "*": {
                Optional<StlView> pointer = library(deref(v));
                if (pointer.isPresent()) {
                    Value of = v;
                    return pointer.get().deref().orElseThrow(() ->
                            new ExpressionException("cannot dereference " + of.type().name() + ", at " + u.pos()));
                }
                v = decay(deref(v));
                Type t = v.type().strip();
                if (t.kind() != Type.Kind.POINTER) {
                    throw new ExpressionException("cannot dereference " + v.type().name() + ", at " + u.pos());
                }
                if (t.target().strip().kind() == Type.Kind.FUNCTION) {
                    return Value.inMemory(t.target(), v.asLong(), new byte[0]);
                }
                return values.dereference(v);
            }
            case "!":
                return bool(!truth(v, u.pos()));
            default:
                break;
        }
        v = deref(v);
        if (!v.type().isArithmetic()) {
            throw new ExpressionException("'" + u.op() + "' needs a number, not " + v.type().name() + ", at " + u.pos());
        }
        if (v.type().strip().kind() == Type.Kind.FLOAT) {
            if (u.op().equals("~")) {
                throw new ExpressionException("'~' needs an integer, at " + u.pos());
            }
            return Value.ofDouble(v.type(), u.op().equals("-") ? -v.asDouble() : v.asDouble());
        }
        Type t = promote(v.type().strip(), Type.INT);
        long x = v.asLong();
        return Value.ofLong(t, switch (u.op()) {
            case "-" -> -x;
            case "~" -> ~x;
            default -> x;
        });
    }

    private Value binary(String op, Node leftNode, Node rightNode, int pos) {
        if (op.equals("&&") || op.equals("||")) {
            boolean l = truth(eval(leftNode), pos);
            if (op.equals("&&") ? !l : l) {
                return bool(l);
            }
            return bool(truth(eval(rightNode), pos));
        }
        Value l = decay(deref(eval(leftNode)));
        Value r = decay(deref(eval(rightNode)));
        boolean lp = l.type().isPointer();
        boolean rp = r.type().isPointer();
        if (lp || rp) {
            return pointerArithmetic(op, l, r, pos);
        }
        if (!l.type().isArithmetic() || !r.type().isArithmetic()) {
            Value bad = l.type().isArithmetic() ? r : l;
            throw new ExpressionException("'" + op + "' needs numbers, but one side is a " + bad.type().name() + ", at " + pos);
        }
        boolean floating = l.type().strip().kind() == Type.Kind.FLOAT || r.type().strip().kind() == Type.Kind.FLOAT;
        if (floating) {
            double a = l.asDouble();
            double b = r.asDouble();
            return switch (op) {
                case "+" -> Value.ofDouble(Type.DOUBLE, a + b);
                case "-" -> Value.ofDouble(Type.DOUBLE, a - b);
                case "*" -> Value.ofDouble(Type.DOUBLE, a * b);
                case "/" -> Value.ofDouble(Type.DOUBLE, a / b);
                case "<" -> bool(a < b);
                case ">" -> bool(a > b);
                case "<=" -> bool(a <= b);
                case ">=" -> bool(a >= b);
                case "==" -> bool(a == b);
                case "!=" -> bool(a != b);
                default -> throw new ExpressionException("'" + op + "' needs integers, at " + pos);
            };
        }
        Type t = promote(l.type().strip(), r.type().strip());
        long a = l.asLong();
        long b = r.asLong();
        boolean unsigned = !t.signed();
        if (t.size() == 4 && unsigned) {
            a &= 0xffffffffL;
            b &= 0xffffffffL;
        }
        return switch (op) {
            case "+" -> Value.ofLong(t, a + b);
            case "-" -> Value.ofLong(t, a - b);
            case "*" -> Value.ofLong(t, a * b);
            case "/", "%" -> {
                if (b == 0) {
                    throw new ExpressionException("division by zero, at " + pos);
                }
                long q = unsigned ? Long.divideUnsigned(a, b) : a / b;
                long rem = unsigned ? Long.remainderUnsigned(a, b) : a % b;
                yield Value.ofLong(t, op.equals("/") ? q : rem);
            }
            case "&" -> Value.ofLong(t, a & b);
            case "|" -> Value.ofLong(t, a | b);
            case "^" -> Value.ofLong(t, a ^ b);
            case "<<" -> Value.ofLong(t, a << b);
            case ">>" -> Value.ofLong(t, unsigned ? a >>> b : a >> b);
            case "<" -> bool(unsigned ? Long.compareUnsigned(a, b) < 0 : a < b);
            case ">" -> bool(unsigned ? Long.compareUnsigned(a, b) > 0 : a > b);
            case "<=" -> bool(unsigned ? Long.compareUnsigned(a, b) <= 0 : a <= b);
            case ">=" -> bool(unsigned ? Long.compareUnsigned(a, b) >= 0 : a >= b);
            case "==" -> bool(a == b);
            case "!=" -> bool(a != b);
            default -> throw new ExpressionException("unknown operator '" + op + "' at " + pos);
        };
    }

    private Value pointerArithmetic(String op, Value l, Value r, int pos) {
        boolean lp = l.type().isPointer();
        boolean rp = r.type().isPointer();
        switch (op) {
            case "==", "!=", "<", ">", "<=", ">=": {
                long a = l.asLong();
                long b = r.asLong();
                int c = Long.compareUnsigned(a, b);
                return bool(switch (op) {
                    case "==" -> c == 0;
                    case "!=" -> c != 0;
                    case "<" -> c < 0;
                    case ">" -> c > 0;
                    case "<=" -> c <= 0;
                    default -> c >= 0;
                });
            }
            case "+":
            case "-": {
                if (lp && rp) {
                    if (op.equals("+")) {
                        throw new ExpressionException("cannot add two pointers, at " + pos);
                    }
                    long size = Math.max(1, l.type().strip().target().size());
                    return Value.ofLong(Type.LONG, (l.asLong() - r.asLong()) / size);
                }
                Value p = lp ? l : r;
                Value i = lp ? r : l;
                if (!i.type().isInteger() || (!lp && op.equals("-"))) {
                    throw new ExpressionException("'" + op + "' of a pointer needs an integer on the other side, at " + pos);
                }
                long size = Math.max(1, p.type().strip().target().size());
                long delta = i.asLong() * size;
                return Value.ofLong(p.type(), op.equals("+") ? p.asLong() + delta : p.asLong() - delta);
            }
            default:
                throw new ExpressionException("'" + op + "' does not work on pointers, at " + pos);
        }
    }

    /** A comparison's or logical operator's result: an int in C, a bool in C++ (as gdb prints: false). */
    private Value bool(boolean b) {
        return Value.ofLong(cxx ? CXX_BOOL : Type.INT, b ? 1 : 0);
    }

    private static final Type CXX_BOOL = new Type(Type.Kind.BOOL, "bool", 1, false);

    private boolean truth(Value v, int pos) {
        v = decay(deref(v));
        try {
            return v.isTrue();
        } catch (ValueException e) {
            throw new ExpressionException(e.getMessage() + ", at " + pos);
        }
    }

    /** C's usual arithmetic conversions, in the simplified form x86-64 needs: int, unsigned int, long, unsigned long. */
    private static Type promote(Type a, Type b) {
        long size = Math.max(Math.max(a.size(), b.size()), 4);
        boolean unsigned = (a.size() == size && !a.signed() && a.kind() != Type.Kind.BOOL && a.kind() != Type.Kind.CHAR
                && a.kind() != Type.Kind.ENUM)
                || (b.size() == size && !b.signed() && b.kind() != Type.Kind.BOOL && b.kind() != Type.Kind.CHAR
                && b.kind() != Type.Kind.ENUM);
        if (size >= 8) {
            return unsigned ? Type.ULONG : Type.LONG;
        }
        return unsigned ? Type.UINT : Type.INT;
    }

    /** References read as what they refer to. */
    Value deref(Value v) {
        return v.type().strip().kind() == Type.Kind.REFERENCE ? values.dereference(v) : v;
    }

    /** Arrays in memory become pointers to their first element. */
    Value decay(Value v) {
        Type t = v.type().strip();
        if (t.kind() == Type.Kind.ARRAY && v.hasAddress()) {
            return Value.ofLong(Type.pointerTo(Values.elementType(v.type())), v.address());
        }
        return v;
    }

    Value convert(Value v, Type to, int pos) {
        Type t = to.strip();
        Type from = v.type().strip();
        if (v.optimizedOut()) {
            throw new ExpressionException("value has been optimized out, at " + pos);
        }
        switch (t.kind()) {
            case INT, CHAR, ENUM, POINTER:
                if (from.kind() == Type.Kind.FLOAT) {
                    return Value.ofLong(to, (long) v.asDouble());
                }
                if (!from.isInteger() && from.kind() != Type.Kind.POINTER) {
                    throw new ExpressionException("cannot convert " + v.type().name() + " to " + to.name() + ", at " + pos);
                }
                return Value.ofLong(to, v.asLong());
            case BOOL:
                return Value.ofLong(to, truth(v, pos) ? 1 : 0);
            case FLOAT:
                if (!from.isArithmetic()) {
                    throw new ExpressionException("cannot convert " + v.type().name() + " to " + to.name() + ", at " + pos);
                }
                return Value.ofDouble(to, v.asDouble());
            case STRUCT, CLASS, UNION:
                if (from.name().equals(t.name())) {
                    return v.withType(to);
                }
                throw new ExpressionException("cannot convert " + v.type().name() + " to " + to.name() + ", at " + pos);
            default:
                throw new ExpressionException("cannot convert to " + to.name() + ", at " + pos);
        }
    }

    private Type type(Node.TypeName name) {
        Type base = values.frame().types().flatMap(tr -> tr.typeNamed(name.base())).orElse(BUILTIN.get(name.base()));
        if (base == null) {
            throw new ExpressionException("unknown type '" + name.base() + "' at " + name.pos());
        }
        for (int i = 0; i < name.pointers(); i++) {
            base = Type.pointerTo(base);
        }
        return base;
    }

    private static String describe(Node n) {
        return n instanceof Node.Identifier id ? "'" + id.name() + "'" : "the left side";
    }
}
