package dev.quiesce.values.stl;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.Values;
import java.util.Arrays;
import java.util.Optional;

/** Keys given in an expression ({@code m[2]}, {@code m["a"]}) compared with the keys in a container. */
final class Keys {
    private Keys() {
    }

    /** As std::less orders them: integers by value (the stored key's signedness), strings by unsigned bytes. */
    static int compare(Values values, Value given, Value stored) {
        Type t = stored.type().strip();
        if (t.isInteger() || t.kind() == Type.Kind.POINTER) {
            if (!given.type().isInteger() && !given.type().isPointer()) {
                throw new ValueException("the map's keys are " + stored.type().name() + "; the index is a " + given.type().name());
            }
            long a = given.asLong();
            long b = stored.asLong();
            return t.signed() ? Long.compare(a, b) : Long.compareUnsigned(a, b);
        }
        Optional<byte[]> s = Strings.contents(values, stored);
        if (s.isPresent()) {
            byte[] g = Strings.contents(values, given).orElseThrow(() ->
                    new ValueException("the map's keys are strings; the index is a " + given.type().name()));
            return Arrays.compareUnsigned(g, s.get());
        }
        throw new ValueException("m[key] works for integer and string keys; these keys are " + stored.type().name());
    }

    static boolean equal(Values values, Value given, Value stored) {
        return compare(values, given, stored) == 0;
    }
}
