package dev.quiesce.core;

import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.SigInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An x86-64 Linux core file (the kernel's, or gdb's {@code gcore}), opened for post-mortem
 * debugging: its threads and registers, the signal that ended it, its auxiliary vector, its
 * file mappings and its memory ({@link CoreMemory}). A file that is not such a core, or is cut
 * short, is refused with a {@link CoreFormatException} that says which.
 */
public final class CoreFile implements AutoCloseable {
    private static final int ET_CORE = 4;
    private static final int EM_X86_64 = 62;
    private static final int PT_LOAD = 1;
    private static final int PT_NOTE = 4;
    private static final int MAX_NOTES = 64 << 20;

    private final Path path;
    private final FileChannel channel;
    private final CoreNotes notes;
    private final CoreMemory memory;

    private CoreFile(Path path, FileChannel channel, CoreNotes notes, CoreMemory memory) {
        this.path = path;
        this.channel = channel;
        this.notes = notes;
        this.memory = memory;
    }

    public static CoreFile open(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new CoreFormatException(Files.exists(path) ? "not a file: " + path : "core file not found: " + path);
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CoreFormatException("cannot read the core file " + path + ": " + e.getMessage());
        }
        try {
            return read(path, channel);
        } catch (RuntimeException | IOException e) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the open failed already
            }
            if (e instanceof CoreFormatException c) {
                throw c;
            }
            throw new CoreFormatException("cannot read the core file " + path + ": " + e.getMessage());
        }
    }

    private static CoreFile read(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        ByteBuffer header = bytes(channel, 0, 64, size, path);
        if (header.getInt(0) != 0x464c457f) {
            throw new CoreFormatException(path + " is not a core file (not an ELF file)");
        }
        if (header.get(4) != 2 || header.get(5) != 1) {
            throw new CoreFormatException(path + " is not a 64-bit little-endian ELF file: not an x86-64 core");
        }
        int type = header.getShort(16) & 0xffff;
        int machine = header.getShort(18) & 0xffff;
        if (type != ET_CORE) {
            throw new CoreFormatException(path + " is " + (type == 2 || type == 3 ? "an ELF program or library" : "an ELF file of type " + type)
                    + ", not a core file (give the program as \"program\" and its core as \"coreFile\")");
        }
        if (machine != EM_X86_64) {
            throw new CoreFormatException(path + " is a core of another machine (ELF machine " + machine + "), not x86-64");
        }
        long phoff = header.getLong(32);
        int phentsize = header.getShort(54) & 0xffff;
        int phnum = header.getShort(56) & 0xffff;
        if (phentsize < 56 || phnum == 0) {
            throw new CoreFormatException(path + " has no program headers: not a usable core");
        }
        ByteBuffer table = bytes(channel, phoff, (long) phentsize * phnum, size, path);
        List<CoreMemory.Segment> segments = new ArrayList<>();
        CoreNotes notes = null;
        for (int i = 0; i < phnum; i++) {
            int at = i * phentsize;
            int kind = table.getInt(at);
            long offset = table.getLong(at + 8);
            long vaddr = table.getLong(at + 16);
            long fileSize = table.getLong(at + 32);
            long memSize = table.getLong(at + 40);
            if (kind == PT_NOTE && notes == null) {
                if (fileSize > MAX_NOTES) {
                    throw new CoreFormatException(path + ": its notes are " + fileSize + " bytes; that is not a core");
                }
                notes = CoreNotes.parse(bytes(channel, offset, fileSize, size, path));
            } else if (kind == PT_LOAD) {
                if (fileSize > 0 && Long.compareUnsigned(offset + fileSize, size) > 0) {
                    throw new CoreFormatException(path + " is truncated: it is " + size + " bytes, its memory needs "
                            + Long.toUnsignedString(offset + fileSize) + " (was the dump cut short, e.g. by ulimit -c or a full disk?)");
                }
                segments.add(new CoreMemory.Segment(vaddr, memSize, offset, fileSize));
            }
        }
        if (notes == null || notes.threads.isEmpty()) {
            throw new CoreFormatException(path + " has no thread (no NT_PRSTATUS note): not a usable core");
        }
        CoreMemory memory = new CoreMemory(notes.pid != 0 ? notes.pid : notes.threads.get(0).tid(), channel, segments, notes.files);
        return new CoreFile(path, channel, notes, memory);
    }

    private static ByteBuffer bytes(FileChannel channel, long offset, long length, long size, Path path) throws IOException {
        if (offset < 0 || length < 0 || offset + length > size) {
            throw new CoreFormatException(path + " is truncated: it is " + size + " bytes, its headers need " + (offset + length));
        }
        ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, offset + b.position()) < 0) {
                throw new CoreFormatException(path + " is truncated");
            }
        }
        return b.flip();
    }

    public Path path() {
        return path;
    }

    /** The process id (NT_PRPSINFO), else the first thread's. */
    public int pid() {
        return memory.pid();
    }

    /** Its command name (comm, at most 15 characters) and arguments as the kernel recorded them. */
    public String command() {
        return notes.command;
    }

    public String arguments() {
        return notes.arguments;
    }

    /** The threads, the one that took the signal first. */
    public List<CoreThread> threads() {
        return List.copyOf(notes.threads);
    }

    /** The signal that ended the process (NT_SIGINFO), or, without that note, the first thread's. */
    public Optional<SigInfo> signal() {
        if (notes.signal.isPresent()) {
            return notes.signal;
        }
        int signal = notes.threads.get(0).signal();
        return signal == 0 ? Optional.empty() : Optional.of(new SigInfo(signal, 0, 0, 0, 0));
    }

    public Map<Long, Long> auxv() {
        return Map.copyOf(notes.auxv);
    }

    /** File-backed mappings (NT_FILE): start, end, offset in the file, path. */
    public List<ProcFs.Mapping> fileMappings() {
        return List.copyOf(notes.files);
    }

    public CoreMemory memory() {
        return memory;
    }

    @Override
    public void close() {
        memory.close();
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }
}
