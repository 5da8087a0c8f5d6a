package dev.quiesce.engine;

/** A failure with a message meant for the person at the debugger ("thread 1234 has exited"). */
public class TracerException extends RuntimeException {
    public TracerException(String message) {
        super(message);
    }

    public TracerException(String message, Throwable cause) {
        super(message, cause);
    }
}
