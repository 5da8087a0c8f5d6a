package dev.quiesce.values;

import dev.quiesce.linux.ProcessMemory;

/** The debuggee's memory as the value layer reads and writes it. */
public interface Memory {
    /**
     * Reads exactly {@code length} bytes or throws {@link ValueException}: never a shorter array.
     * Every caller (strings, members, elements) relies on that to make progress or stop.
     */
    byte[] read(long address, int length);

    void write(long address, byte[] data);

    /** gdb's wording, naming the first address that could not be read. */
    static MemoryAccessError cannotAccess(long address) {
        return new MemoryAccessError("Cannot access memory at address 0x" + Long.toHexString(address));
    }

    /**
     * Through /proc/PID/mem: works while other threads run. {@link ProcessMemory#read(long, int)}
     * answers the readable prefix (empty when the first byte is unmapped); a prefix shorter than
     * asked becomes an error that names the first unreadable byte, as gdb does.
     */
    static Memory of(ProcessMemory m) {
        return new Memory() {
            @Override
            public byte[] read(long address, int length) {
                if (length < 0) {
                    throw new ValueException("cannot read " + length + " bytes");
                }
                byte[] bytes;
                try {
                    bytes = m.read(address, length);
                } catch (RuntimeException e) {
                    throw cannotAccess(address);
                }
                if (bytes.length != length) {
                    throw cannotAccess(address + bytes.length);
                }
                return bytes;
            }

            @Override
            public void write(long address, byte[] data) {
                try {
                    m.write(address, data);
                } catch (RuntimeException e) {
                    throw new MemoryAccessError("Cannot access memory at address 0x" + Long.toHexString(address));
                }
            }
        };
    }
}
