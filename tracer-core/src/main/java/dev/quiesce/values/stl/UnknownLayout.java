package dev.quiesce.values.stl;

import dev.quiesce.values.ValueException;

/** The object is not laid out as the formatter expects (another library version): shown raw, not as an error. */
final class UnknownLayout extends ValueException {
    UnknownLayout(String message) {
        super(message);
    }
}
