package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code .debug_line} section of one ELF file: the programs in section order (as objdump
 * lists them) and, for the CU reader, the program at a DW_AT_stmt_list offset. Programs are
 * parsed on request and cached by offset.
 */
public final class LineSection {
    private final DwarfSections sections;
    private final Map<Long, LineProgram> programs = new ConcurrentHashMap<>();
    private volatile List<Long> offsets;

    public LineSection(DwarfSections sections) {
        this.sections = sections;
    }

    /** Offsets of every program, in section order; only the unit lengths are read. */
    public List<Long> programOffsets() {
        List<Long> o = offsets;
        if (o == null) {
            o = Collections.unmodifiableList(scanOffsets());
            offsets = o;
        }
        return o;
    }

    private List<Long> scanOffsets() {
        List<Long> out = new ArrayList<>();
        DwarfCursor c = new DwarfCursor(sections.line());
        while (c.limit() - c.position() >= 4) {
            long start = c.position();
            long length = c.initialLength();
            long end = c.position() + length;
            if (end > c.limit() || length < 2) {
                break; // a truncated unit or padding: nothing more to decode
            }
            out.add(start);
            c.seek(end);
        }
        return out;
    }

    /**
     * The program at {@code offset}. {@code compDir} (the CU's DW_AT_comp_dir, may be null) is
     * directory 0 before DWARF 5; a cached program made with another compDir is not reused.
     */
    public LineProgram program(long offset, String compDir) {
        LineProgram p = programs.get(offset);
        if (p == null) {
            // Two threads asking at once (a read-ahead and a breakpoint's placement): one reads it.
            p = programs.computeIfAbsent(offset, o -> LineProgram.at(sections, o, compDir));
        }
        if (Objects.equals(p.header().compDir(), compDir)) {
            return p;
        }
        LineProgram made = LineProgram.at(sections, offset, compDir);
        programs.put(offset, made);
        return made;
    }

    /** Every program in section order, with no compilation directory known. */
    public List<LineProgram> programs() {
        List<LineProgram> out = new ArrayList<>();
        for (long offset : programOffsets()) {
            LineProgram cached = programs.get(offset);
            out.add(cached != null ? cached : program(offset, null));
        }
        return out;
    }

    /**
     * {@link LineTable#addressesForLine} over every program of the section (a header's inline
     * functions may have code in several CUs). Decodes every program that lists a matching file.
     */
    public List<Long> addressesForLine(String file, int line) {
        TreeSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        for (LineProgram p : programs()) {
            if (p.header().files().stream().anyMatch(f -> FileNameMatcher.matches(f.path(), file))) {
                out.addAll(p.table().addressesForLine(file, line));
            }
        }
        return new ArrayList<>(out);
    }
}
