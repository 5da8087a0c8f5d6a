package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A process's memory through /proc/PID/mem (ARCHITECTURE.md fact 5): one pread/pwrite per
 * transfer, writes reach read-only text (breakpoints), and it works while threads run, from any
 * Java thread. Must be reopened after exec: the old file keeps the old address space.
 * Addresses above 2^63 are negative longs; pread takes them as offsets all the same.
 * A process that no longer runs (a core file) gives its memory by overriding the two transfers
 * ({@code dev.quiesce.core.CoreMemory}): every reader of a ProcessMemory works on it unchanged.
 */
public class ProcessMemory implements AutoCloseable {
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;

    private final int pid;
    private volatile int fd;

    public ProcessMemory(int pid) throws IOException {
        this.pid = pid;
        try {
            this.fd = LibC.open("/proc/" + pid + "/mem", O_RDWR | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new IOException("cannot open /proc/" + pid + "/mem: " + Errno.describe(e.getErrorCode()));
        }
    }

    /** For a memory that is not a live process's: {@link #read(long, byte[])} and {@link #write} are overridden. */
    protected ProcessMemory(int pid, boolean noFile) {
        this.pid = pid;
        this.fd = -1;
    }

    public int pid() {
        return pid;
    }

    /**
     * Reads up to {@code buffer.length} bytes at {@code address}; returns how many were readable
     * (fewer at the end of a mapping, 0 when the first byte is unmapped).
     */
    public int read(long address, byte[] buffer) {
        int done = 0;
        while (done < buffer.length) {
            byte[] target = done == 0 ? buffer : new byte[buffer.length - done];
            long n;
            try {
                n = LibC.pread(fd, target, target.length, address + done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                break; // EIO: unmapped from here on
            }
            if (n <= 0) {
                break;
            }
            if (target != buffer) {
                System.arraycopy(target, 0, buffer, done, (int) n);
            }
            done += (int) n;
        }
        return done;
    }

    /**
     * The readable prefix of {@code length} bytes at {@code address}: shorter (possibly empty)
     * where the range runs into unmapped memory. DAP's readMemory wants exactly that; readers
     * that need every byte go through {@link #readLong} or the value layer's {@code Memory.of},
     * which turn a short read into an error.
     */
    public byte[] read(long address, int length) {
        byte[] buffer = new byte[length];
        int n = read(address, buffer);
        return n == length ? buffer : Arrays.copyOf(buffer, n);
    }

    public long readLong(long address) {
        byte[] bytes = new byte[8];
        if (read(address, bytes) < 8) {
            throw new MemoryAccessException(address, 8);
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Writes all of {@code data} at {@code address}, or throws. */
    public void write(long address, byte[] data) {
        int done = 0;
        while (done < data.length) {
            byte[] source = done == 0 ? data : Arrays.copyOfRange(data, done, data.length);
            long n;
            try {
                n = LibC.pwrite(fd, source, source.length, address + done);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                throw new MemoryAccessException(address + done, data.length - done);
            }
            if (n <= 0) {
                throw new MemoryAccessException(address + done, data.length - done);
            }
            done += (int) n;
        }
    }

    public void writeByte(long address, byte value) {
        write(address, new byte[] {value});
    }

    @Override
    public synchronized void close() {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (LastErrorException ignored) {
                // already closed
            }
            fd = -1;
        }
    }

    /** The memory at an address cannot be read or written. */
    public static final class MemoryAccessException extends RuntimeException {
        public MemoryAccessException(long address, int length) {
            super(String.format("cannot access %d bytes of memory at 0x%x", length, address));
        }
    }
}
