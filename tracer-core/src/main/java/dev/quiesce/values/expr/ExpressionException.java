package dev.quiesce.values.expr;

import dev.quiesce.values.ValueException;

/** A C expression that cannot be parsed or evaluated; the message names the problem and where. */
public final class ExpressionException extends ValueException {
    public ExpressionException(String message) {
        super(message);
    }
}
