package dev.quiesce.symbols.dwarf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the opcodes of one line program (DWARF 5 section 6.2.5) and collects the rows it
 * emits. Files added by DW_LNE_define_file are collected as well.
 */
final class LineStateMachine {
    // Standard opcodes, DWARF 5 section 6.2.5.2
    private static final int DW_LNS_copy = 1;
    private static final int DW_LNS_advance_pc = 2;
    private static final int DW_LNS_advance_line = 3;
    private static final int DW_LNS_set_file = 4;
    private static final int DW_LNS_set_column = 5;
    private static final int DW_LNS_negate_stmt = 6;
    private static final int DW_LNS_set_basic_block = 7;
    private static final int DW_LNS_const_add_pc = 8;
    private static final int DW_LNS_fixed_advance_pc = 9;
    private static final int DW_LNS_set_prologue_end = 10;
    private static final int DW_LNS_set_epilogue_begin = 11;
    private static final int DW_LNS_set_isa = 12;
    // Extended opcodes, DWARF 5 section 6.2.5.3 (define_file: DWARF 4 and earlier)
    private static final int DW_LNE_end_sequence = 1;
    private static final int DW_LNE_set_address = 2;
    private static final int DW_LNE_define_file = 3;
    private static final int DW_LNE_set_discriminator = 4;

    private final LineProgramHeader header;
    private final LineRows.Builder rows = new LineRows.Builder();
    private final List<LineFile> definedFiles = new ArrayList<>();

    // The state machine registers (DWARF 5 section 6.2.2, table 6.3)
    private long address;
    private int opIndex;
    private int file;
    private int line;
    private int column;
    private boolean isStmt;
    private boolean basicBlock;
    private boolean prologueEnd;
    private boolean epilogueBegin;
    private int discriminator;

    LineStateMachine(LineProgramHeader header) {
        this.header = header;
        reset();
    }

    private void reset() {
        address = 0;
        opIndex = 0;
        file = 1;
        line = 1;
        column = 0;
        isStmt = header.defaultIsStmt();
        basicBlock = false;
        prologueEnd = false;
        epilogueBegin = false;
        discriminator = 0;
    }

    /** Executes the whole program; {@code line} is the {@code .debug_line} section. */
    void run(ByteBuffer line) {
        DwarfCursor c = new DwarfCursor(line).seek(header.programStart());
        long end = header.unitEnd();
        int opcodeBase = header.opcodeBase();
        while (c.position() < end) { // every opcode moves forward (see extended): the unit's end ends the program
            int opcode = c.u8();
            if (opcode >= opcodeBase) {
                special(opcode - opcodeBase);
            } else if (opcode == 0) {
                extended(c);
            } else {
                standard(opcode, c);
            }
        }
    }

    LineRows rows() {
        return rows.build();
    }

    List<LineFile> definedFiles() {
        return definedFiles;
    }

    /** A special opcode advances address and line together and appends a row (section 6.2.5.1). */
    private void special(int adjusted) {
        advance(adjusted / header.lineRange());
        line += header.lineBase() + adjusted % header.lineRange();
        emit(0);
    }

    /**
     * Advances by {@code operationAdvance} operations. With max_ops_per_inst 1 (every non-VLIW
     * target) this is address += min_inst_length * advance, op_index staying 0.
     */
    private void advance(long operationAdvance) {
        int maxOps = header.maxOpsPerInst();
        if (maxOps == 1) {
            address += header.minInstLength() * operationAdvance;
        } else {
            long ops = opIndex + operationAdvance;
            address += header.minInstLength() * (ops / maxOps);
            opIndex = (int) (ops % maxOps);
        }
    }

    private void emit(int extraFlags) {
        int flags = extraFlags;
        if (isStmt) {
            flags |= LineRows.STMT;
        }
        if (basicBlock) {
            flags |= LineRows.BASIC_BLOCK;
        }
        if (prologueEnd) {
            flags |= LineRows.PROLOGUE_END;
        }
        if (epilogueBegin) {
            flags |= LineRows.EPILOGUE_BEGIN;
        }
        rows.add(address, file, line, column, discriminator, flags);
        basicBlock = false;
        prologueEnd = false;
        epilogueBegin = false;
        discriminator = 0;
    }

    private void standard(int opcode, DwarfCursor c) {
        switch (opcode) {
            case DW_LNS_copy -> emit(0);
            case DW_LNS_advance_pc -> advance(c.uleb());
            case DW_LNS_advance_line -> line += (int) c.sleb();
            case DW_LNS_set_file -> file = (int) c.uleb();
            case DW_LNS_set_column -> column = (int) c.uleb();
            case DW_LNS_negate_stmt -> isStmt = !isStmt;
            case DW_LNS_set_basic_block -> basicBlock = true;
            // const_add_pc: the address advance of special opcode 255, without a row
            case DW_LNS_const_add_pc -> advance((255 - header.opcodeBase()) / header.lineRange());
            case DW_LNS_fixed_advance_pc -> {
                address += c.u16();
                opIndex = 0;
            }
            case DW_LNS_set_prologue_end -> prologueEnd = true;
            case DW_LNS_set_epilogue_begin -> epilogueBegin = true;
            case DW_LNS_set_isa -> c.uleb();
            default -> {
                // An opcode from a newer producer: the header says how many LEB128 operands to skip
                for (int i = header.standardOpcodeLength(opcode); i > 0; i--) {
                    c.uleb();
                }
            }
        }
    }

    private void extended(DwarfCursor c) {
        long length = c.uleb();
        if (length == 0) {
            return;
        }
        // A length of 2^64 - 1 reads as -1: seeking back to before the opcode would run the same
        // bytes forever. Every extended opcode moves forward, within its unit.
        if (length < 0 || length > header.unitEnd() - c.position()) {
            throw new DwarfException("extended line opcode of " + Long.toUnsignedString(length) + " bytes at 0x"
                    + Integer.toHexString(c.position()) + " runs past its unit");
        }
        long next = c.position() + length;
        int sub = c.u8();
        switch (sub) {
            case DW_LNE_end_sequence -> {
                emit(LineRows.END_SEQUENCE);
                reset();
            }
            case DW_LNE_set_address -> {
                // the operand is a target address of (length - 1) bytes, little-endian
                long a = 0;
                for (int i = 0; i < Math.min(length - 1, 8); i++) {
                    a |= (long) c.u8() << (8 * i);
                }
                address = a;
                opIndex = 0;
            }
            case DW_LNE_define_file -> {
                String name = c.cstring();
                int dir = (int) c.uleb();
                long mtime = c.uleb();
                long size = c.uleb();
                definedFiles.add(header.definedFile(name, dir, mtime, size));
            }
            case DW_LNE_set_discriminator -> discriminator = (int) c.uleb();
            default -> {
                // unknown (vendor) extended opcodes are skipped by their length
            }
        }
        c.seek(next);
    }
}
