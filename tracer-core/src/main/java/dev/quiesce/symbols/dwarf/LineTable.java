package dev.quiesce.symbols.dwarf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The decoded rows of one line program with address and source-line lookups. Rows stay in
 * program order (as objdump prints them); an index of the sequences sorted by address serves
 * {@link #rowFor}. Sequences that start at address 0 are code the linker discarded (their
 * relocations resolved to 0) and are left out of lookups, as gdb does.
 */
public final class LineTable {
    private final LineProgramHeader header;
    private final LineRows rows;
    private final List<LineFile> files;
    // Sequences usable for address lookups, sorted by low address
    private final int[] sortedSequences;
    private final long[] sortedLow;
    private final long[] sortedHigh;
    /** maxHigh[k] = the highest end address among sortedSequences[0..k]: bounds overlap scans. */
    private final long[] maxHigh;

    LineTable(LineProgramHeader header, LineRows rows, List<LineFile> definedFiles) {
        this.header = header;
        this.rows = rows;
        List<LineFile> all = new ArrayList<>(header.files());
        all.addAll(definedFiles);
        this.files = Collections.unmodifiableList(all);
        this.sortedSequences = lookupSequences(rows);
        int n = sortedSequences.length;
        sortedLow = new long[n];
        sortedHigh = new long[n];
        maxHigh = new long[n];
        for (int k = 0; k < n; k++) {
            int s = sortedSequences[k];
            sortedLow[k] = rows.address[rows.sequenceStarts[s]];
            sortedHigh[k] = rows.address[rows.sequenceStarts[s + 1] - 1];
            maxHigh[k] = k == 0 ? sortedHigh[k] : Math.max(maxHigh[k - 1], sortedHigh[k]);
        }
    }

    /** Complete, non-empty sequences not at address 0, sorted by their first address. */
    private static int[] lookupSequences(LineRows rows) {
        int count = rows.sequenceCount();
        Integer[] order = new Integer[count];
        int n = 0;
        for (int s = 0; s < count; s++) {
            int first = rows.sequenceStarts[s];
            int last = rows.sequenceStarts[s + 1] - 1;
            boolean complete = rows.has(last, LineRows.END_SEQUENCE);
            if (complete && last > first && rows.address[first] != 0 && rows.address[last] > rows.address[first]) {
                order[n++] = s;
            }
        }
        Integer[] used = Arrays.copyOf(order, n);
        Arrays.sort(used, (a, b) -> Long.compareUnsigned(rows.address[rows.sequenceStarts[a]], rows.address[rows.sequenceStarts[b]]));
        return Arrays.stream(used).mapToInt(Integer::intValue).toArray();
    }

    public LineProgramHeader header() {
        return header;
    }

    /** The file table, including files added by DW_LNE_define_file. */
    public List<LineFile> files() {
        return files;
    }

    /** The entry for a DWARF file register value, or null if it names no file. */
    public LineFile file(int index) {
        int i = index - header.firstFileIndex();
        return i >= 0 && i < files.size() ? files.get(i) : null;
    }

    public int rowCount() {
        return rows.size;
    }

    /** Row {@code i} in program order. */
    public LineRow row(int i) {
        return rows.row(i);
    }

    public List<LineRow> rows() {
        List<LineRow> out = new ArrayList<>(rows.size);
        for (int i = 0; i < rows.size; i++) {
            out.add(rows.row(i));
        }
        return out;
    }

    public int sequenceCount() {
        return rows.sequenceCount();
    }

    /** First row of sequence {@code s}; its rows run to {@link #sequenceEndRow} exclusive. */
    public int sequenceStartRow(int s) {
        return rows.sequenceStarts[s];
    }

    public int sequenceEndRow(int s) {
        return rows.sequenceStarts[s + 1];
    }

    /** The row whose range [row.address, next row's address) holds {@code address}. */
    public Optional<LineRow> rowFor(long address) {
        OptionalInt i = rowIndexFor(address);
        return i.isPresent() ? Optional.of(rows.row(i.getAsInt())) : Optional.empty();
    }

    /** Index of the row {@link #rowFor} returns; never an end-sequence row. */
    public OptionalInt rowIndexFor(long address) {
        int k = upperBound(sortedLow, address) - 1;
        // Sequences may overlap (rare); walk back while an earlier one could still cover the address
        for (; k >= 0 && Long.compareUnsigned(maxHigh[k], address) > 0; k--) {
            if (Long.compareUnsigned(sortedHigh[k], address) > 0) {
                int s = sortedSequences[k];
                int i = lastRowAtOrBelow(rows.sequenceStarts[s], rows.sequenceStarts[s + 1] - 1, address);
                return OptionalInt.of(preferStatement(i, rows.sequenceStarts[s]));
            }
        }
        return OptionalInt.empty();
    }

    /** End of the range of row {@code i}: the address of the next row with a higher address. */
    public long rowEnd(int i) {
        long a = rows.address[i];
        for (int j = i + 1; j < rows.size; j++) {
            if (rows.address[j] != a || rows.has(j, LineRows.END_SEQUENCE)) {
                return rows.address[j];
            }
        }
        return a;
    }

    /**
     * Several rows can share an address (the earlier ones are empty). When the last is not a
     * statement (is_stmt false), the last statement row at that address describes it, as gdb
     * reads it: a breakpoint or a frame there is on the statement's line.
     */
    private int preferStatement(int i, int sequenceStart) {
        if (rows.has(i, LineRows.STMT)) {
            return i;
        }
        for (int j = i - 1; j >= sequenceStart && rows.address[j] == rows.address[i]; j--) {
            if (rows.has(j, LineRows.STMT)) {
                return j;
            }
        }
        return i;
    }

    /** Among rows [from, to) with nondecreasing addresses, the last one at or below {@code address}. */
    private int lastRowAtOrBelow(int from, int to, long address) {
        int lo = from;
        int hi = to; // exclusive; rows[from] <= address is known
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(rows.address[mid], address) <= 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Number of entries of {@code sorted} that are at or below {@code key} (unsigned). */
    private static int upperBound(long[] sorted, long key) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid], key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Whether some entry of the file table matches {@code file} (see {@link FileNameMatcher}). */
    public boolean hasFile(String file) {
        for (LineFile f : files) {
            if (FileNameMatcher.matches(f.path(), file)) {
                return true;
            }
        }
        return false;
    }

    /** For each DWARF file register value, whether its file matches the query. */
    private boolean[] matchingFiles(String file) {
        int first = header.firstFileIndex();
        boolean[] match = new boolean[first + files.size()];
        for (int i = 0; i < files.size(); i++) {
            match[first + i] = FileNameMatcher.matches(files.get(i).path(), file);
        }
        return match;
    }

    private static boolean matches(boolean[] match, int fileIndex) {
        return fileIndex >= 0 && fileIndex < match.length && match[fileIndex];
    }

    /**
     * Every address that starts {@code line} of {@code file}: in each sequence, the first
     * is_stmt row of each run of consecutive rows on that line. Inlined or duplicated code gives
     * several. Sorted, without duplicates; empty if the line has no code.
     */
    public List<Long> addressesForLine(String file, int line) {
        boolean[] match = matchingFiles(file);
        TreeSet<Long> out = new TreeSet<>(Long::compareUnsigned);
        for (int k = 0; k < sortedSequences.length; k++) {
            int s = sortedSequences[k];
            int end = rows.sequenceStarts[s + 1] - 1; // leave out the end-sequence row
            boolean runTaken = false;
            for (int r = rows.sequenceStarts[s]; r < end; r++) {
                boolean sameRun = r > rows.sequenceStarts[s] && rows.line[r] == rows.line[r - 1] && rows.file[r] == rows.file[r - 1];
                if (!sameRun) {
                    runTaken = false;
                }
                if (!runTaken && rows.line[r] == line && rows.has(r, LineRows.STMT) && matches(match, rows.file[r])) {
                    out.add(rows.address[r]);
                    runTaken = true;
                }
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * The first line at or after {@code line} in {@code file} that has code (an is_stmt row),
     * the line a breakpoint request on {@code line} moves to.
     */
    public OptionalInt lineWithCode(String file, int line) {
        boolean[] match = matchingFiles(file);
        int best = Integer.MAX_VALUE;
        for (int k = 0; k < sortedSequences.length; k++) {
            int s = sortedSequences[k];
            for (int r = rows.sequenceStarts[s]; r < rows.sequenceStarts[s + 1] - 1; r++) {
                int l = rows.line[r];
                if (l >= line && l < best && rows.has(r, LineRows.STMT) && matches(match, rows.file[r])) {
                    best = l;
                }
            }
        }
        return best == Integer.MAX_VALUE ? OptionalInt.empty() : OptionalInt.of(best);
    }

    /** The lines of {@code file} in [fromLine, toLine] that have code, ascending (DAP breakpointLocations). */
    public List<Integer> linesWithCode(String file, int fromLine, int toLine) {
        boolean[] match = matchingFiles(file);
        TreeSet<Integer> out = new TreeSet<>();
        for (int k = 0; k < sortedSequences.length; k++) {
            int s = sortedSequences[k];
            for (int r = rows.sequenceStarts[s]; r < rows.sequenceStarts[s + 1] - 1; r++) {
                int l = rows.line[r];
                if (l >= fromLine && l <= toLine && rows.has(r, LineRows.STMT) && matches(match, rows.file[r])) {
                    out.add(l);
                }
            }
        }
        return new ArrayList<>(out);
    }
}
