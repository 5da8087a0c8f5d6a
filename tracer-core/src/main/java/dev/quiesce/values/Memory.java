package dev.quiesce.values;

/** The debuggee's memory as the value layer reads and writes it. */
public interface Memory {
    /** Reads exactly {@code length} bytes or throws {@link ValueException}. */
    byte[] read(long address, int length);

    void write(long address, byte[] data);
}
