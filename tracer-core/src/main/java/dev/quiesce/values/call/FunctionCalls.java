package dev.quiesce.values.call;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.util.List;
import java.util.Optional;

/**
 * What the expression evaluator needs to call functions in the program: find them by name or as
 * an object's member, and call them. {@link #refused} is the answer where calls are not made
 * (hover, breakpoint conditions, no stopped thread), with the reason.
 */
public interface FunctionCalls {
    Optional<CallTarget> function(String name);

    /** A member function of {@code object} (a class value in memory) taking {@code argumentCount} arguments. */
    Optional<CallTarget> method(Value object, String name, int argumentCount);

    /** Every function of that name where the first one is found (C++ overloads), the first first. */
    default List<CallTarget> functions(String name) {
        return function(name).map(List::of).orElse(List.of());
    }

    /** Every member function of that name in the class (or the nearest base) that declares it. */
    default List<CallTarget> methods(Value object, String name) {
        return List.of();
    }

    /** Calls {@code target} with arguments already converted to the parameters' types; the result as {@code returnType}. */
    Value call(CallTarget target, Type returnType, List<Value> arguments);

    static FunctionCalls refused(String why) {
        return new FunctionCalls() {
            @Override
            public Optional<CallTarget> function(String name) {
                throw new ValueException(why);
            }

            @Override
            public Optional<CallTarget> method(Value object, String name, int argumentCount) {
                throw new ValueException(why);
            }

            @Override
            public Value call(CallTarget target, Type returnType, List<Value> arguments) {
                throw new ValueException(why);
            }
        };
    }
}
