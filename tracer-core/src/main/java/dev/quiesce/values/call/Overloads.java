package dev.quiesce.values.call;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.List;
import java.util.Optional;

/**
 * Chooses among C++ overloads by the arguments' types, a small part of C++'s overload
 * resolution: each candidate that takes that many arguments is ranked by how far each
 * argument is from its parameter (same type, then a conversion within integers or within
 * floating types, then between them); classes must match by name. The best total wins, the
 * first declared on a tie.
 */
public final class Overloads {
    private static final int IMPOSSIBLE = 1_000_000;

    private Overloads() {
    }

    public static Optional<CallTarget> choose(List<CallTarget> candidates, List<Value> arguments) {
        CallTarget best = null;
        int bestScore = IMPOSSIBLE;
        for (CallTarget c : candidates) {
            int score = score(c, arguments);
            if (score < bestScore) {
                best = c;
                bestScore = score;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int score(CallTarget c, List<Value> arguments) {
        List<Type> params = c.parameters();
        if (arguments.size() < params.size() || arguments.size() > params.size() && !c.anyArguments()) {
            return IMPOSSIBLE;
        }
        int total = arguments.size() > params.size() ? 5 : 0; // "..." ranks below any conversion of one argument
        for (int i = 0; i < params.size(); i++) {
            total += distance(params.get(i), arguments.get(i).type());
            if (total >= IMPOSSIBLE) {
                return IMPOSSIBLE;
            }
        }
        return total;
    }

    private static int distance(Type parameter, Type argument) {
        Type p = parameter.strip();
        if (p.kind() == Type.Kind.REFERENCE && p.target() != null) {
            p = p.target().strip();
        }
        Type a = argument.strip();
        if (a.kind() == Type.Kind.REFERENCE && a.target() != null) {
            a = a.target().strip();
        }
        if (scalar(p) && scalar(a)) {
            if (p.kind() == a.kind() && p.size() == a.size() && p.signed() == a.signed()) {
                return 0;
            }
            boolean pf = p.kind() == Type.Kind.FLOAT;
            boolean af = a.kind() == Type.Kind.FLOAT;
            return pf == af ? 1 : 2;
        }
        if (p.kind() == Type.Kind.POINTER) {
            if (a.kind() != Type.Kind.POINTER && a.kind() != Type.Kind.ARRAY) {
                return a.isInteger() ? 4 : IMPOSSIBLE; // 0 as a null pointer
            }
            Type pt = p.target() == null ? Type.VOID : p.target().strip();
            Type at = a.target() == null ? Type.VOID : a.target().strip();
            return sameName(pt, at) ? 0 : pt.kind() == Type.Kind.VOID ? 1 : 3;
        }
        if (p.kind() == Type.Kind.STRUCT || p.kind() == Type.Kind.CLASS || p.kind() == Type.Kind.UNION) {
            return sameName(p, a) ? 0 : IMPOSSIBLE;
        }
        return p.kind() == a.kind() ? 1 : IMPOSSIBLE;
    }

    private static boolean scalar(Type t) {
        return t.isInteger() || t.kind() == Type.Kind.FLOAT || t.kind() == Type.Kind.ENUM || t.kind() == Type.Kind.BOOL;
    }

    private static boolean sameName(Type a, Type b) {
        String x = a.name();
        String y = b.name();
        return x != null && x.equals(y) && a.size() == b.size();
    }
}
