package dev.quiesce.symbols.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A read-only, memory-mapped ELF64 little-endian file: headers, sections (decompressing
 * {@code SHF_COMPRESSED} zlib sections on first use), program headers, symbols, build-id and
 * {@code .gnu_debuglink}. Section data is parsed lazily and cached; safe for concurrent readers.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    private static final int ELFCOMPRESS_ZLIB = 1;
    private static final int NT_GNU_BUILD_ID = 3;

    private final Path path;
    private final ByteBuffer file;
    private final int type;
    private final long entry;
    private final List<ElfSection> sections;
    private final Map<String, ElfSection> byName = new HashMap<>();
    private final List<ProgramHeader> programHeaders;
    private final Map<Integer, ByteBuffer> sectionData = new ConcurrentHashMap<>();
    private volatile List<ElfSymbol> symbols;

    private ElfFile(Path path, ByteBuffer file) {
        this.path = path;
        this.file = file;
        if (file.limit() < 64 || file.getInt(0) != 0x464c457f) {
            throw new ElfException(path + " is not an ELF file");
        }
        if (file.get(4) != 2 || file.get(5) != 1) {
            throw new ElfException(path + " is not a 64-bit little-endian ELF file");
        }
        if ((file.getShort(18) & 0xffff) != 62) {
            throw new ElfException(path + " is not an x86-64 ELF file");
        }
        type = file.getShort(16) & 0xffff;
        entry = file.getLong(24);
        programHeaders = readProgramHeaders();
        sections = readSections();
        for (ElfSection s : sections) {
            byName.putIfAbsent(s.name(), s);
        }
    }

    public static ElfFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            ByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()).order(ByteOrder.LITTLE_ENDIAN);
            return new ElfFile(path, map);
        } catch (IOException e) {
            throw new ElfException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    public Path path() {
        return path;
    }

    public int type() {
        return type;
    }

    /** Position-independent (ET_DYN): loaded at a bias chosen at run time. */
    public boolean isPositionIndependent() {
        return type == ET_DYN;
    }

    public long entry() {
        return entry;
    }

    public List<ElfSection> sections() {
        return sections;
    }

    public Optional<ElfSection> section(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public List<ProgramHeader> programHeaders() {
        return programHeaders;
    }

    /** Lowest virtual address of a PT_LOAD segment, page-aligned: what the load bias is relative to. */
    public long firstLoadAddress() {
        long low = Long.MAX_VALUE;
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == ProgramHeader.PT_LOAD) {
                low = Math.min(low, ph.vaddr() - (ph.offset() & (ph.alignment() > 0 ? ph.alignment() - 1 : 0)));
            }
        }
        return low == Long.MAX_VALUE ? 0 : low & ~0xfffL;
    }

    /**
     * The bytes of a section, little-endian, decompressed if the section is SHF_COMPRESSED.
     * SHT_NOBITS sections give an empty buffer.
     */
    public ByteBuffer data(ElfSection s) {
        return sectionData.computeIfAbsent(s.index(), i -> load(s)).duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The named section's bytes, or empty if the file has no such section. */
    public Optional<ByteBuffer> data(String name) {
        return section(name).map(this::data);
    }

    private ByteBuffer load(ElfSection s) {
        if (!s.hasData()) {
            return ByteBuffer.allocate(0);
        }
        ByteBuffer raw = file.slice((int) s.offset(), (int) s.size()).order(ByteOrder.LITTLE_ENDIAN);
        if (!s.compressed()) {
            return raw;
        }
        // Elf64_Chdr: ch_type u32, ch_reserved u32, ch_size u64, ch_addralign u64; then the stream.
        int chType = raw.getInt(0);
        long size = raw.getLong(8);
        if (chType != ELFCOMPRESS_ZLIB) {
            throw new ElfException(path + ": section " + s.name() + " uses compression type " + chType
                    + "; only zlib (ELFCOMPRESS_ZLIB) is supported");
        }
        byte[] in = new byte[raw.limit() - 24];
        raw.get(24, in);
        byte[] out = new byte[(int) size];
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(in);
            int n = 0;
            while (n < out.length && !inflater.finished()) {
                int got = inflater.inflate(out, n, out.length - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            if (n != out.length) {
                throw new ElfException(path + ": section " + s.name() + " decompressed to " + n + " bytes, expected " + size);
            }
        } catch (DataFormatException e) {
            throw new ElfException(path + ": section " + s.name() + " is not valid zlib data", e);
        } finally {
            inflater.end();
        }
        return ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Symbols of {@code .symtab} followed by those of {@code .dynsym} (either may be absent). */
    public List<ElfSymbol> symbols() {
        List<ElfSymbol> s = symbols;
        if (s == null) {
            List<ElfSymbol> all = new ArrayList<>();
            section(".symtab").ifPresent(t -> readSymbols(t, all));
            section(".dynsym").ifPresent(t -> readSymbols(t, all));
            symbols = s = Collections.unmodifiableList(all);
        }
        return s;
    }

    private void readSymbols(ElfSection table, List<ElfSymbol> out) {
        if (table.link() <= 0 || table.link() >= sections.size()) {
            return;
        }
        ByteBuffer strings = data(sections.get(table.link()));
        ByteBuffer data = data(table);
        for (int off = 24; off + 24 <= data.limit(); off += 24) { // entry 0 is the null symbol
            int nameOff = data.getInt(off);
            int info = data.get(off + 4) & 0xff;
            int shndx = data.getShort(off + 6) & 0xffff;
            long value = data.getLong(off + 8);
            long size = data.getLong(off + 16);
            out.add(new ElfSymbol(string(strings, nameOff), value, size, info & 0xf, info >> 4, shndx));
        }
    }

    /** The GNU build-id note as lowercase hex, if present. */
    public Optional<String> buildId() {
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_NOTE) {
                ByteBuffer notes = data(s);
                int off = 0;
                while (off + 12 <= notes.limit()) {
                    int nameSize = notes.getInt(off);
                    int descSize = notes.getInt(off + 4);
                    int noteType = notes.getInt(off + 8);
                    int nameStart = off + 12;
                    int descStart = nameStart + align4(nameSize);
                    if (noteType == NT_GNU_BUILD_ID && nameSize == 4 && notes.get(nameStart) == 'G') {
                        StringBuilder hex = new StringBuilder();
                        for (int i = 0; i < descSize; i++) {
                            hex.append(String.format("%02x", notes.get(descStart + i) & 0xff));
                        }
                        return Optional.of(hex.toString());
                    }
                    off = descStart + align4(descSize);
                }
            }
        }
        return Optional.empty();
    }

    /** The file name recorded in {@code .gnu_debuglink}, if present. */
    public Optional<String> debugLink() {
        return data(".gnu_debuglink").map(b -> string(b, 0));
    }

    /** The program interpreter (dynamic linker) path from PT_INTERP, if present. */
    public Optional<String> interpreter() {
        for (ProgramHeader ph : programHeaders) {
            if (ph.type() == ProgramHeader.PT_INTERP) {
                return Optional.of(string(file, (int) ph.offset()));
            }
        }
        return Optional.empty();
    }

    /**
     * The separate debug file for this one, as gdb finds it: {@code /usr/lib/debug/.build-id/xx/rest.debug},
     * then the debuglink name next to the file, in its {@code .debug/} folder and under
     * {@code /usr/lib/debug} + the file's folder.
     */
    public Optional<Path> separateDebugFile() {
        List<Path> candidates = new ArrayList<>();
        buildId().filter(id -> id.length() > 2).ifPresent(id ->
                candidates.add(Path.of("/usr/lib/debug/.build-id", id.substring(0, 2), id.substring(2) + ".debug")));
        Optional<String> link = debugLink();
        if (link.isPresent()) {
            Path dir = path.toAbsolutePath().getParent();
            candidates.add(dir.resolve(link.get()));
            candidates.add(dir.resolve(".debug").resolve(link.get()));
            candidates.add(Path.of("/usr/lib/debug" + dir).resolve(link.get()));
        }
        for (Path p : candidates) {
            if (!p.equals(path) && p.toFile().isFile()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private List<ProgramHeader> readProgramHeaders() {
        long phoff = file.getLong(32);
        int phentsize = file.getShort(54) & 0xffff;
        int phnum = file.getShort(56) & 0xffff;
        List<ProgramHeader> out = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int off = (int) (phoff + (long) i * phentsize);
            out.add(new ProgramHeader(file.getInt(off), file.getInt(off + 4), file.getLong(off + 8),
                    file.getLong(off + 16), file.getLong(off + 32), file.getLong(off + 40), file.getLong(off + 48)));
        }
        return Collections.unmodifiableList(out);
    }

    private List<ElfSection> readSections() {
        long shoff = file.getLong(40);
        int shentsize = file.getShort(58) & 0xffff;
        int shnum = file.getShort(60) & 0xffff;
        int shstrndx = file.getShort(62) & 0xffff;
        if (shoff == 0) {
            return List.of();
        }
        if (shnum == 0) { // more than 0xff00 sections: the count is in section 0's sh_size
            shnum = (int) file.getLong((int) shoff + 32);
        }
        if (shstrndx == 0xffff) {
            shstrndx = file.getInt((int) shoff + 40);
        }
        int namesAt = (int) file.getLong((int) (shoff + (long) shstrndx * shentsize + 24));
        List<ElfSection> out = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            int off = (int) (shoff + (long) i * shentsize);
            String name = string(file, namesAt + file.getInt(off));
            out.add(new ElfSection(i, name, file.getInt(off + 4), file.getLong(off + 8), file.getLong(off + 16),
                    file.getLong(off + 24), file.getLong(off + 32), file.getInt(off + 40), file.getInt(off + 44),
                    file.getLong(off + 48), file.getLong(off + 56)));
        }
        return Collections.unmodifiableList(out);
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    static String string(ByteBuffer b, int offset) {
        int end = offset;
        while (end < b.limit() && b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        b.get(offset, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
