package dev.quiesce.core;

import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.ProcessMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A dead process's memory: the PT_LOAD segments' bytes in the core, and where the core left a
 * file-backed page out (code and read-only data it never wrote: the kernel's default
 * coredump_filter, and gcore, skip them) the same page of the mapped file (NT_FILE). Read-only:
 * a write fails as an inaccessible address does. Thread-safe (positional reads).
 */
public final class CoreMemory extends ProcessMemory {
    /** One PT_LOAD: [start, start + memSize) in memory, the first fileSize bytes at offset in the core. */
    record Segment(long start, long memSize, long offset, long fileSize) {
        boolean contains(long address) {
            return Long.compareUnsigned(address - start, memSize) < 0;
        }
    }

    private final FileChannel core;
    private final List<Segment> segments;
    private final List<ProcFs.Mapping> files;
    private final Map<String, Optional<FileChannel>> opened = new ConcurrentHashMap<>();

    CoreMemory(int pid, FileChannel core, List<Segment> segments, List<ProcFs.Mapping> files) {
        super(pid, true);
        this.core = core;
        this.segments = List.copyOf(segments);
        this.files = List.copyOf(files);
    }

    @Override
    public int read(long address, byte[] buffer) {
        int done = 0;
        while (done < buffer.length) {
            int n = readSome(address + done, buffer, done);
            if (n <= 0) {
                break;
            }
            done += n;
        }
        return done;
    }

    /** Reads what one segment or one file mapping has at {@code address}; 0 if nothing does. */
    private int readSome(long address, byte[] buffer, int at) {
        int want = buffer.length - at;
        for (Segment s : segments) {
            if (!s.contains(address)) {
                continue;
            }
            long inSegment = address - s.start();
            int n = (int) Math.min(want, s.memSize() - inSegment);
            if (inSegment < s.fileSize()) {
                return positional(core, s.offset() + inSegment, buffer, at, (int) Math.min(n, s.fileSize() - inSegment));
            }
            int fromFile = fromMappedFile(address, buffer, at, n);
            if (fromFile > 0) {
                return fromFile;
            }
            return 0; // in memory but in neither the core nor a file: gdb cannot read it either
        }
        return fromMappedFile(address, buffer, at, want);
    }

    private int fromMappedFile(long address, byte[] buffer, int at, int want) {
        for (ProcFs.Mapping m : files) {
            if (Long.compareUnsigned(address - m.start(), m.end() - m.start()) < 0) {
                FileChannel file = open(m.path());
                if (file == null) {
                    return 0;
                }
                long inMapping = address - m.start();
                return positional(file, m.offset() + inMapping, buffer, at, (int) Math.min(want, m.end() - address));
            }
        }
        return 0;
    }

    /** The mapped file, opened once; null when it cannot be (then its left-out pages are unreadable). */
    private FileChannel open(String path) {
        return opened.computeIfAbsent(path, p -> {
            try {
                return Optional.of(FileChannel.open(Path.of(p), StandardOpenOption.READ));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }).orElse(null);
    }

    private static int positional(FileChannel channel, long offset, byte[] buffer, int at, int length) {
        if (length <= 0) {
            return 0;
        }
        try {
            int n = channel.read(ByteBuffer.wrap(buffer, at, length), offset);
            return Math.max(n, 0);
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void write(long address, byte[] data) {
        throw new MemoryAccessException(address, data.length); // a core file is read-only
    }

    @Override
    public synchronized void close() {
        for (Optional<FileChannel> f : opened.values()) {
            try {
                if (f.isPresent()) {
                    f.get().close();
                }
            } catch (IOException ignored) {
                // read-only: nothing to lose
            }
        }
        opened.clear();
    }
}
