package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The header of one line-number program (DWARF 5 section 6.2.4; versions 2 to 4 differ in the
 * directory and file tables). Files carry their full path: an absolute name as is, otherwise
 * joined to its directory, itself joined to the compilation directory when relative.
 */
public final class LineProgramHeader {
    private final long offset;
    private final long unitEnd;
    private final long programStart;
    private final boolean dwarf64;
    private final int version;
    private final int addressSize;
    private final int minInstLength;
    private final int maxOpsPerInst;
    private final boolean defaultIsStmt;
    private final int lineBase;
    private final int lineRange;
    private final int opcodeBase;
    private final int[] standardOpcodeLengths;
    private final List<String> directories;
    private final List<LineFile> files;
    private final String compDir;

    private LineProgramHeader(Builder b) {
        offset = b.offset;
        unitEnd = b.unitEnd;
        programStart = b.programStart;
        dwarf64 = b.dwarf64;
        version = b.version;
        addressSize = b.addressSize;
        minInstLength = b.minInstLength;
        maxOpsPerInst = b.maxOpsPerInst;
        defaultIsStmt = b.defaultIsStmt;
        lineBase = b.lineBase;
        lineRange = b.lineRange;
        opcodeBase = b.opcodeBase;
        standardOpcodeLengths = b.standardOpcodeLengths;
        directories = Collections.unmodifiableList(b.directories);
        files = Collections.unmodifiableList(b.files);
        compDir = b.compDir;
    }

    /**
     * Parses the header of the program at {@code offset} of {@code .debug_line}. {@code compDir}
     * is the CU's DW_AT_comp_dir (directory 0 before DWARF 5); it may be null.
     */
    public static LineProgramHeader parse(DwarfSections sections, long offset, String compDir) {
        DwarfCursor c = new DwarfCursor(sections.line()).seek(offset);
        Builder b = new Builder();
        b.offset = offset;
        b.compDir = compDir;
        long length = c.initialLength();
        b.dwarf64 = c.lastWasDwarf64();
        b.unitEnd = c.position() + length;
        if (b.unitEnd > c.limit()) {
            throw new DwarfException("line program at 0x" + Long.toHexString(offset) + " runs past the end of .debug_line");
        }
        b.version = c.u16();
        if (b.version < 2 || b.version > 5) {
            throw new DwarfException("line program at 0x" + Long.toHexString(offset) + " has unsupported version " + b.version);
        }
        b.addressSize = 8;
        if (b.version >= 5) {
            b.addressSize = c.u8();
            c.u8(); // segment_selector_size
        }
        long headerLength = c.offset(b.dwarf64);
        b.programStart = c.position() + headerLength;
        b.minInstLength = c.u8();
        // maximum_operations_per_instruction appeared in version 4; only VLIW targets use it
        b.maxOpsPerInst = b.version >= 4 ? c.u8() : 1;
        if (b.maxOpsPerInst == 0) {
            b.maxOpsPerInst = 1;
        }
        b.defaultIsStmt = c.u8() != 0;
        b.lineBase = c.s8();
        b.lineRange = c.u8();
        if (b.lineRange == 0) {
            throw new DwarfException("line program at 0x" + Long.toHexString(offset) + " has line_range 0");
        }
        b.opcodeBase = c.u8();
        b.standardOpcodeLengths = new int[Math.max(b.opcodeBase, 1)];
        for (int op = 1; op < b.opcodeBase; op++) {
            b.standardOpcodeLengths[op] = c.u8();
        }
        if (b.version >= 5) {
            readV5Tables(c, sections, b);
        } else {
            readV4Tables(c, b);
        }
        return new LineProgramHeader(b);
    }

    /** include_directories and file_names of versions 2 to 4: NUL-terminated lists. */
    private static void readV4Tables(DwarfCursor c, Builder b) {
        // Directory 0 is implicitly the compilation directory (DWARF 4 section 6.2.4, item 11)
        b.directories.add(b.compDir == null ? "" : b.compDir);
        while (true) {
            String dir = c.cstring();
            if (dir.isEmpty()) {
                break;
            }
            b.directories.add(b.resolveDirectory(dir));
        }
        while (true) {
            String name = c.cstring();
            if (name.isEmpty()) {
                break;
            }
            b.files.add(b.fileEntry(name, (int) c.uleb(), c.uleb(), c.uleb(), null));
        }
    }

    /**
     * A table's entry count. Every entry takes at least one byte of the section, so a count
     * beyond the bytes left is corrupt (a format without fields would otherwise loop 2^64 times).
     */
    private static long entryCount(DwarfCursor c) {
        long n = c.uleb();
        if (n < 0 || n > c.limit() - c.position()) {
            throw new DwarfException("line table header announces " + Long.toUnsignedString(n) + " entries with "
                    + (c.limit() - c.position()) + " bytes left");
        }
        return n;
    }

    /** DWARF 5 self-describing tables: directory 0 is the compilation directory, file 0 the primary source. */
    private static void readV5Tables(DwarfCursor c, DwarfSections sections, Builder b) {
        LineEntryFormat dirFormat = LineEntryFormat.read(c);
        long dirCount = entryCount(c);
        for (long i = 0; i < dirCount; i++) {
            String dir = dirFormat.readEntry(c, b.dwarf64, sections.str(), sections.lineStr()).name();
            b.directories.add(i == 0 ? dir : b.resolveDirectory(dir));
        }
        LineEntryFormat fileFormat = LineEntryFormat.read(c);
        long fileCount = entryCount(c);
        for (long i = 0; i < fileCount; i++) {
            LineFile raw = fileFormat.readEntry(c, b.dwarf64, sections.str(), sections.lineStr());
            b.files.add(b.fileEntry(raw.name(), raw.directoryIndex(), raw.timestamp(), raw.size(), raw.md5()));
        }
    }

    /** A file described by DW_LNE_define_file (versions 2 to 4 only) during the program. */
    LineFile definedFile(String name, int dirIndex, long timestamp, long size) {
        Builder b = new Builder();
        b.compDir = compDir;
        b.directories.addAll(directories);
        return b.fileEntry(name, dirIndex, timestamp, size, null);
    }

    private static final class Builder {
        long offset;
        long unitEnd;
        long programStart;
        boolean dwarf64;
        int version;
        int addressSize;
        int minInstLength;
        int maxOpsPerInst;
        boolean defaultIsStmt;
        int lineBase;
        int lineRange;
        int opcodeBase;
        int[] standardOpcodeLengths;
        String compDir;
        final List<String> directories = new ArrayList<>();
        final List<LineFile> files = new ArrayList<>();

        /** An include directory, made absolute against the compilation directory when relative. */
        String resolveDirectory(String dir) {
            if (LinePaths.isAbsolute(dir)) {
                return dir;
            }
            String base = directories.isEmpty() ? compDir : directories.get(0);
            return LinePaths.join(base, dir);
        }

        LineFile fileEntry(String name, int dirIndex, long timestamp, long size, byte[] md5) {
            String dir = dirIndex >= 0 && dirIndex < directories.size() ? directories.get(dirIndex) : null;
            if (dir == null || (dir.isEmpty() && dirIndex == 0)) {
                dir = compDir;
            }
            return new LineFile(name, dirIndex, LinePaths.join(dir, name), timestamp, size, md5);
        }
    }

    public long offset() {
        return offset;
    }

    /** Offset just past this program in {@code .debug_line}: where the next one starts. */
    public long unitEnd() {
        return unitEnd;
    }

    /** Offset of the first opcode. */
    public long programStart() {
        return programStart;
    }

    public boolean dwarf64() {
        return dwarf64;
    }

    public int version() {
        return version;
    }

    public int addressSize() {
        return addressSize;
    }

    public int minInstLength() {
        return minInstLength;
    }

    public int maxOpsPerInst() {
        return maxOpsPerInst;
    }

    public boolean defaultIsStmt() {
        return defaultIsStmt;
    }

    public int lineBase() {
        return lineBase;
    }

    public int lineRange() {
        return lineRange;
    }

    public int opcodeBase() {
        return opcodeBase;
    }

    /** Number of LEB128 operands of standard opcode {@code op} (1 &le; op &lt; opcode_base). */
    public int standardOpcodeLength(int op) {
        return standardOpcodeLengths[op];
    }

    /** Full paths of the directories; index 0 is the compilation directory ("" if unknown before DWARF 5). */
    public List<String> directories() {
        return directories;
    }

    /** The file table as written; DWARF file register value {@code n} is {@code files().get(n - firstFileIndex())}. */
    public List<LineFile> files() {
        return files;
    }

    /** 1 before DWARF 5 (file 0 means "no file"), 0 from DWARF 5 on (file 0 is the primary source file). */
    public int firstFileIndex() {
        return version >= 5 ? 0 : 1;
    }

    public String compDir() {
        return compDir;
    }
}
