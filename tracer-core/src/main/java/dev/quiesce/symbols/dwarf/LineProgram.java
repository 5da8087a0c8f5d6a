package dev.quiesce.symbols.dwarf;

/**
 * One line-number program of {@code .debug_line}: its header, parsed up front (it is small),
 * and its table, decoded on first use and kept.
 */
public final class LineProgram {
    private final DwarfSections sections;
    private final LineProgramHeader header;
    private volatile LineTable table;

    private LineProgram(DwarfSections sections, LineProgramHeader header) {
        this.sections = sections;
        this.header = header;
    }

    /** The program at {@code offset} (a CU's DW_AT_stmt_list); {@code compDir} may be null. */
    public static LineProgram at(DwarfSections sections, long offset, String compDir) {
        try {
            return new LineProgram(sections, LineProgramHeader.parse(sections, offset, compDir));
        } catch (IndexOutOfBoundsException e) {
            throw new DwarfException("line program header at 0x" + Long.toHexString(offset) + " runs past its section");
        }
    }

    public long offset() {
        return header.offset();
    }

    /**
     * Whether the header's file table names {@code file} (as {@link LineTable#hasFile} matches),
     * read without decoding the program. Files a program defines with DW_LNE_define_file
     * (DWARF 2-4, which gcc and clang do not emit) are only seen once it is decoded.
     */
    public boolean headerNamesFile(String file) {
        for (LineFile f : header.files()) {
            if (FileNameMatcher.matches(f.path(), file)) {
                return true;
            }
        }
        LineTable decoded = table;
        return decoded != null && decoded.hasFile(file);
    }

    public LineProgramHeader header() {
        return header;
    }

    public LineTable table() {
        LineTable t = table;
        if (t == null) {
            synchronized (this) {
                t = table;
                if (t == null) {
                    LineStateMachine machine = new LineStateMachine(header);
                    try {
                        machine.run(sections.line());
                    } catch (IndexOutOfBoundsException e) {
                        throw new DwarfException("line program at 0x" + Long.toHexString(header.offset()) + " runs past its section");
                    }
                    t = new LineTable(header, machine.rows(), machine.definedFiles());
                    table = t;
                }
            }
        }
        return t;
    }
}
