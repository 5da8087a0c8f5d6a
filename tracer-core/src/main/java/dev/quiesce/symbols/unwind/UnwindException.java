package dev.quiesce.symbols.unwind;

/** A frame could not be unwound; the message says why. */
public class UnwindException extends RuntimeException {
    public UnwindException(String message) {
        super(message);
    }
}
