package dev.quiesce.values.call;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.List;

/**
 * A function to call and what is known of its signature. {@code returnType} null: unknown (a
 * function without debug information, called as returning int unless the call is cast);
 * {@code anyArguments}: the DWARF says "..." or the C function has no prototype, so arguments
 * beyond {@code parameters} go with C's default promotions. {@code self} is the object pointer
 * of a C++ member function (the hidden first argument), or null. {@code resolver}: the address
 * is an ELF IFUNC resolver, called first to find the function itself.
 */
public record CallTarget(String name, long address, Type returnType, List<Type> parameters, boolean anyArguments,
                         Value self, boolean resolver) {
    public CallTarget {
        parameters = List.copyOf(parameters);
    }

    CallTarget at(long resolved) {
        return new CallTarget(name, resolved, returnType, parameters, anyArguments, self, false);
    }
}
