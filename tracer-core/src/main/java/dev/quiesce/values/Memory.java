package dev.quiesce.values;

import dev.quiesce.linux.ProcessMemory;

/** The debuggee's memory as the value layer reads and writes it. */
public interface Memory {
    /** Reads exactly {@code length} bytes or throws {@link ValueException}. */
    byte[] read(long address, int length);

    void write(long address, byte[] data);

    /** Through /proc/PID/mem: works while other threads run. */
    static Memory of(ProcessMemory m) {
        return new Memory() {
            @Override
            public byte[] read(long address, int length) {
                try {
                    return m.read(address, length);
                } catch (RuntimeException e) {
                    throw new ValueException("Cannot access memory at address 0x" + Long.toHexString(address));
                }
            }

            @Override
            public void write(long address, byte[] data) {
                try {
                    m.write(address, data);
                } catch (RuntimeException e) {
                    throw new ValueException("Cannot write memory at address 0x" + Long.toHexString(address));
                }
            }
        };
    }
}
