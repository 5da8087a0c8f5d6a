package dev.quiesce.symbols.dwarf;

import java.util.Arrays;

/**
 * The rows of one line program in program order, one primitive array per column (a large
 * program has hundreds of thousands of rows). Sequence {@code s} is rows
 * {@code [sequenceStart(s), sequenceStart(s + 1))}, ending with its end-sequence row.
 */
final class LineRows {
    static final int STMT = 1;
    static final int BASIC_BLOCK = 2;
    static final int END_SEQUENCE = 4;
    static final int PROLOGUE_END = 8;
    static final int EPILOGUE_BEGIN = 16;

    final long[] address;
    final int[] file;
    final int[] line;
    final int[] column;
    final int[] discriminator;
    final byte[] flags;
    final int size;
    /** Start row of each sequence, plus {@code size} at the end. */
    final int[] sequenceStarts;

    private LineRows(Builder b) {
        size = b.size;
        address = Arrays.copyOf(b.address, size);
        file = Arrays.copyOf(b.file, size);
        line = Arrays.copyOf(b.line, size);
        column = Arrays.copyOf(b.column, size);
        discriminator = Arrays.copyOf(b.discriminator, size);
        flags = Arrays.copyOf(b.flags, size);
        int[] starts = Arrays.copyOf(b.sequenceStarts, b.sequences + 1);
        starts[b.sequences] = size;
        sequenceStarts = starts;
    }

    int sequenceCount() {
        return sequenceStarts.length - 1;
    }

    boolean has(int row, int flag) {
        return (flags[row] & flag) != 0;
    }

    LineRow row(int i) {
        int f = flags[i];
        return new LineRow(address[i], file[i], line[i], column[i], (f & STMT) != 0, (f & BASIC_BLOCK) != 0,
                (f & END_SEQUENCE) != 0, (f & PROLOGUE_END) != 0, (f & EPILOGUE_BEGIN) != 0, discriminator[i]);
    }

    /** Appends rows as the state machine emits them; a sequence opens at its first row. */
    static final class Builder {
        private long[] address = new long[64];
        private int[] file = new int[64];
        private int[] line = new int[64];
        private int[] column = new int[64];
        private int[] discriminator = new int[64];
        private byte[] flags = new byte[64];
        private int size;
        private int[] sequenceStarts = new int[8];
        private int sequences;
        private boolean inSequence;

        void add(long addr, int fileIndex, int lineNumber, int col, int disc, int rowFlags) {
            if (size == address.length) {
                grow();
            }
            if (!inSequence) {
                if (sequences == sequenceStarts.length) {
                    sequenceStarts = Arrays.copyOf(sequenceStarts, sequences * 2);
                }
                sequenceStarts[sequences++] = size;
                inSequence = true;
            }
            address[size] = addr;
            file[size] = fileIndex;
            line[size] = lineNumber;
            column[size] = col;
            discriminator[size] = disc;
            flags[size] = (byte) rowFlags;
            size++;
            if ((rowFlags & END_SEQUENCE) != 0) {
                inSequence = false;
            }
        }

        private void grow() {
            int n = address.length * 2;
            address = Arrays.copyOf(address, n);
            file = Arrays.copyOf(file, n);
            line = Arrays.copyOf(line, n);
            column = Arrays.copyOf(column, n);
            discriminator = Arrays.copyOf(discriminator, n);
            flags = Arrays.copyOf(flags, n);
        }

        /**
         * The rows so far. A program cut short without DW_LNE_end_sequence keeps its open
         * sequence (tools print those rows too) but lookups treat its end as unknown.
         */
        LineRows build() {
            return new LineRows(this);
        }
    }
}
