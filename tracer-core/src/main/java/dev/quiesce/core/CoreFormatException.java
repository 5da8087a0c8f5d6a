package dev.quiesce.core;

/** A file that is not a usable x86-64 Linux core: the message says what is wrong with it. */
public final class CoreFormatException extends RuntimeException {
    public CoreFormatException(String message) {
        super(message);
    }
}
