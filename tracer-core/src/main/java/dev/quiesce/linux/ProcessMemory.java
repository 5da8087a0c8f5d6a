package dev.quiesce.linux;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A process's memory through /proc/PID/mem (ARCHITECTURE.md fact 5): one pread/pwrite per
 * transfer, writes reach read-only text (breakpoints), and it works while threads run, from any
 * Java thread. Must be reopened after exec: the old file keeps the old address space.
 */
public final class ProcessMemory implements AutoCloseable {
    private final int pid;
    private final RandomAccessFile file;
    private final FileChannel channel;

    public ProcessMemory(int pid) throws IOException {
        this.pid = pid;
        this.file = new RandomAccessFile("/proc/" + pid + "/mem", "rw");
        this.channel = file.getChannel();
    }

    public int pid() {
        return pid;
    }

    /**
     * Reads up to {@code buffer.length} bytes at {@code address}; returns how many were readable
     * (fewer at the end of a mapping, 0 when the first byte is unmapped).
     */
    public int read(long address, byte[] buffer) {
        ByteBuffer target = ByteBuffer.wrap(buffer);
        try {
            while (target.hasRemaining()) {
                int n = channel.read(target, address + target.position());
                if (n <= 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // EIO: unmapped from here on
        }
        return target.position();
    }

    public byte[] read(long address, int length) {
        byte[] buffer = new byte[length];
        int n = read(address, buffer);
        return n == length ? buffer : java.util.Arrays.copyOf(buffer, n);
    }

    public long readLong(long address) {
        byte[] bytes = read(address, 8);
        if (bytes.length < 8) {
            throw new MemoryAccessException(address, 8);
        }
        return ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    /** Writes all of {@code data} at {@code address}, or throws. */
    public void write(long address, byte[] data) {
        ByteBuffer source = ByteBuffer.wrap(data);
        try {
            while (source.hasRemaining()) {
                int n = channel.write(source, address + source.position());
                if (n <= 0) {
                    throw new MemoryAccessException(address + source.position(), source.remaining());
                }
            }
        } catch (IOException e) {
            throw new MemoryAccessException(address + source.position(), source.remaining());
        }
    }

    public void writeByte(long address, byte value) {
        write(address, new byte[] {value});
    }

    @Override
    public void close() {
        try {
            file.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    /** The memory at an address cannot be read or written. */
    public static final class MemoryAccessException extends RuntimeException {
        public MemoryAccessException(long address, int length) {
            super(String.format("cannot access %d bytes of memory at 0x%x", length, address));
        }
    }
}
