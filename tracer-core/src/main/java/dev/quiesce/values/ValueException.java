package dev.quiesce.values;

/** A value cannot be read, computed or written; the message says why in a person's words. */
public class ValueException extends RuntimeException {
    public ValueException(String message) {
        super(message);
    }
}
