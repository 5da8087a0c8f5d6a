package dev.quiesce.values;

/**
 * The program's memory at an address cannot be read (or written). Its message is gdb's and
 * complete ({@code Cannot access memory at address 0x0}): expressions pass it on as it is,
 * without the position in the expression that other errors get.
 */
public final class MemoryAccessError extends ValueException {
    public MemoryAccessError(String message) {
        super(message);
    }
}
