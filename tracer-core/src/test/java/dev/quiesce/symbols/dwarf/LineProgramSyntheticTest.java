package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hand-assembled line programs for what the compiled test programs do not exercise. */
class LineProgramSyntheticTest {

    /** Little-endian bytes, LEB128 and C strings. */
    private static final class Bytes {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Bytes u8(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Bytes u16(int v) {
            return u8(v & 0xff, (v >> 8) & 0xff);
        }

        Bytes u32(long v) {
            for (int i = 0; i < 4; i++) {
                out.write((int) (v >> (8 * i)));
            }
            return this;
        }

        Bytes u64(long v) {
            for (int i = 0; i < 8; i++) {
                out.write((int) (v >> (8 * i)));
            }
            return this;
        }

        Bytes uleb(long v) {
            do {
                int b = (int) (v & 0x7f);
                v >>>= 7;
                out.write(v != 0 ? b | 0x80 : b);
            } while (v != 0);
            return this;
        }

        Bytes sleb(long v) {
            while (true) {
                int b = (int) (v & 0x7f);
                v >>= 7;
                boolean done = (v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0);
                out.write(done ? b : b | 0x80);
                if (done) {
                    return this;
                }
            }
        }

        Bytes cstr(String s) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            return this;
        }

        Bytes bytes(Bytes other) {
            out.writeBytes(other.toArray());
            return this;
        }

        int size() {
            return out.size();
        }

        byte[] toArray() {
            return out.toByteArray();
        }
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private static DwarfSections sections(byte[] line, byte[] lineStr) {
        return new DwarfSections(EMPTY, EMPTY, EMPTY, ByteBuffer.wrap(lineStr), EMPTY, EMPTY, EMPTY, EMPTY,
                EMPTY, EMPTY, ByteBuffer.wrap(line), EMPTY, EMPTY, EMPTY);
    }

    /** unit_length, version, [v5 sizes], header_length, header rest, program (32-bit DWARF). */
    private static byte[] unit(int version, Bytes headerRest, Bytes program) {
        Bytes afterLength = new Bytes().u16(version);
        if (version >= 5) {
            afterLength.u8(8, 0); // address_size, segment_selector_size
        }
        afterLength.u32(headerRest.size()).bytes(headerRest).bytes(program);
        return new Bytes().u32(afterLength.size()).bytes(afterLength).toArray();
    }

    private static Bytes setAddress(Bytes b, long address) {
        return b.u8(0).uleb(9).u8(2).u64(address);
    }

    private static Bytes endSequence(Bytes b) {
        return b.u8(0).uleb(1).u8(1);
    }

    @Test
    void dwarf3WithEveryOpcodeKind() {
        Bytes header = new Bytes()
                .u8(4)          // minimum_instruction_length
                .u8(0)          // default_is_stmt
                .u8(0xfd)       // line_base -3
                .u8(12)         // line_range
                .u8(14)         // opcode_base: opcode 13 is a standard opcode this reader does not know
                .u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1, 2)
                .cstr("inc").cstr("/abs").u8(0)
                .cstr("a.c").uleb(0).uleb(0).uleb(0)
                .cstr("b.h").uleb(1).uleb(0).uleb(0)
                .cstr("c.h").uleb(2).uleb(0).uleb(0)
                .cstr("/x/d.c").uleb(1).uleb(0).uleb(0)
                .u8(0);
        Bytes program = setAddress(new Bytes(), 0x1000)
                .u8(3).sleb(9)              // advance_line to 10
                .u8(1)                      // copy: row 0
                .u8(6)                      // negate_stmt
                .u8(13).uleb(5).uleb(300)   // unknown standard opcode, two operands skipped
                .u8(14 + 17)                // special: 1 operation (4 bytes), line + 2: row 1
                .u8(0).uleb(3).u8(0x80, 0xaa, 0xbb) // unknown extended opcode, skipped by length
                .u8(4).uleb(2)              // set_file 2
                .u8(5).uleb(7)              // set_column 7
                .u8(8)                      // const_add_pc: (255 - 14) / 12 = 20 operations = 80 bytes
                .u8(9).u16(0x10)            // fixed_advance_pc 16 bytes
                .u8(2).uleb(2)              // advance_pc 2 operations = 8 bytes
                .u8(10)                     // prologue_end
                .u8(0).uleb(2).u8(4).uleb(3) // set_discriminator 3
                .u8(1);                     // copy: row 2
        Bytes defineFile = new Bytes().u8(3).cstr("e.c").uleb(1).uleb(0).uleb(0);
        program.u8(0).uleb(defineFile.size()).bytes(defineFile)
                .u8(4).uleb(5)              // the defined file
                .u8(3).sleb(-2)
                .u8(7)                      // basic_block
                .u8(11)                     // epilogue_begin
                .u8(1)                      // copy: row 3, same address as row 2
                .u8(2).uleb(1);
        endSequence(program);               // row 4
        setAddress(program, 0x900).u8(1).u8(2).uleb(1);
        endSequence(program);

        LineProgram p = LineProgram.at(sections(unit(3, header, program), new byte[0]), 0, "/cu");
        LineTable t = p.table();
        assertEquals(3, p.header().version());
        assertEquals(List.of("/cu/a.c", "/cu/inc/b.h", "/abs/c.h", "/x/d.c", "/cu/inc/e.c"),
                t.files().stream().map(LineFile::path).toList());
        assertNull(t.file(0));
        assertEquals(7, t.rowCount());
        assertEquals(new LineRow(0x1000, 1, 10, 0, false, false, false, false, false, 0), t.row(0));
        assertEquals(new LineRow(0x1004, 1, 12, 0, true, false, false, false, false, 0), t.row(1));
        assertEquals(new LineRow(0x106c, 2, 12, 7, true, false, false, true, false, 3), t.row(2));
        assertEquals(new LineRow(0x106c, 5, 10, 7, true, true, false, false, true, 0), t.row(3));
        assertEquals(new LineRow(0x1070, 5, 10, 7, true, false, true, false, false, 0), t.row(4));
        // the registers are reset after end_sequence: default is_stmt, file 1, line 1
        assertEquals(new LineRow(0x900, 1, 1, 0, false, false, false, false, false, 0), t.row(5));
        assertEquals(2, t.sequenceCount());

        assertEquals(10, t.rowFor(0x1003).orElseThrow().line());
        assertEquals(12, t.rowFor(0x1004).orElseThrow().line());
        assertEquals(12, t.rowFor(0x106b).orElseThrow().line());
        assertEquals("e.c", t.file(t.rowFor(0x106c).orElseThrow().file()).baseName(), "last row at an address wins");
        assertEquals(Optional.empty(), t.rowFor(0x1070));
        assertEquals(1, t.rowFor(0x903).orElseThrow().line());
        assertEquals(Optional.empty(), t.rowFor(0x904));
        assertEquals(Optional.empty(), t.rowFor(0xfff));

        assertEquals(List.of(), t.addressesForLine("a.c", 10), "row 0 is not a statement");
        assertEquals(List.of(0x1004L), t.addressesForLine("a.c", 12));
        assertEquals(List.of(0x106cL), t.addressesForLine("inc/b.h", 12));
        assertEquals(List.of(0x106cL), t.addressesForLine("/cu/inc/e.c", 10));
        assertEquals(List.of(12), t.linesWithCode("a.c", 0, 100));
    }

    @Test
    void dwarf2OpcodeBase10MakesOpcodes10To12Special() {
        Bytes header = new Bytes()
                .u8(1).u8(1).u8(1).u8(4) // min_inst_length, default_is_stmt, line_base 1, line_range 4
                .u8(10).u8(0, 1, 1, 1, 1, 0, 0, 0, 1)
                .u8(0)
                .cstr("m.c").uleb(0).uleb(0).uleb(0).u8(0);
        Bytes program = setAddress(new Bytes(), 0x2000)
                .u8(10)      // special, adjusted 0: line + 1
                .u8(12)      // special, adjusted 2: line + 3
                .u8(10 + 5)  // special, adjusted 5: 1 byte, line + 2
                .u8(2).uleb(1);
        endSequence(program);
        LineTable t = LineProgram.at(sections(unit(2, header, program), new byte[0]), 0, null).table();
        assertEquals(List.of(2, 5, 7, 7), t.rows().stream().map(LineRow::line).toList());
        assertEquals(List.of(0x2000L, 0x2000L, 0x2001L, 0x2002L), t.rows().stream().map(LineRow::address).toList());
        assertEquals("m.c", t.file(1).path());
    }

    @Test
    void dwarf5EntryFormats() {
        byte[] lineStr = "main.c\0x.h\0".getBytes(StandardCharsets.US_ASCII);
        byte[] md5 = new byte[16];
        for (int i = 0; i < 16; i++) {
            md5[i] = (byte) (i * 17);
        }
        Bytes header = new Bytes()
                .u8(1).u8(1).u8(1).u8(0xfb).u8(14).u8(13) // min_inst, max_ops, is_stmt, line_base -5, range, base
                .u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1)
                .u8(1).uleb(1).uleb(0x08)                 // directories: path as DW_FORM_string
                .uleb(2).cstr("/comp").cstr("sub")
                .u8(5)
                .uleb(1).uleb(0x1f)                       // path, line_strp
                .uleb(2).uleb(0x0f)                       // directory_index, udata
                .uleb(5).uleb(0x1e)                       // MD5, data16
                .uleb(4).uleb(0x06)                       // size, data4
                .uleb(0x2001).uleb(0x09)                  // a vendor content type as a block
                .uleb(2);
        header.u32(0).uleb(0);
        header.out.writeBytes(md5);
        header.u32(1234).uleb(2).u8(0xde, 0xad);
        header.u32(7).uleb(1);
        header.out.writeBytes(new byte[16]);
        header.u32(0).uleb(0);
        Bytes program = setAddress(new Bytes(), 0x400000)
                .u8(1)                       // copy: file register starts at 1
                .u8(4).uleb(0)               // file 0, the primary source file
                .u8(13 + 5 + 14 * 3);        // special: 3 bytes, line + 0
        endSequence(program);
        LineProgram p = LineProgram.at(sections(unit(5, header, program), lineStr), 0, "/ignored");
        LineTable t = p.table();
        assertEquals(List.of("/comp", "/comp/sub"), p.header().directories());
        assertEquals("/comp/main.c", t.file(0).path());
        assertEquals("/comp/sub/x.h", t.file(1).path());
        assertArrayEquals(md5, t.file(0).md5());
        assertEquals(1234, t.file(0).size());
        assertEquals(List.of(1, 0, 0), t.rows().stream().map(LineRow::file).toList());
        assertEquals(0x400003L, t.row(1).address());
        assertTrue(t.hasFile("main.c"));
        assertFalse(t.hasFile("ain.c"));
    }

    @Test
    void sectionListsEveryProgram() {
        Bytes header = new Bytes().u8(1).u8(1).u8(1).u8(4).u8(10).u8(0, 1, 1, 1, 1, 0, 0, 0, 1).u8(0)
                .cstr("m.c").uleb(0).uleb(0).uleb(0).u8(0);
        byte[] one = unit(2, header, endSequence(setAddress(new Bytes(), 0x10).u8(1)));
        byte[] both = new Bytes().bytes(bytesOf(one)).bytes(bytesOf(one)).toArray();
        LineSection section = new LineSection(sections(both, new byte[0]));
        assertEquals(List.of(0L, (long) one.length), section.programOffsets());
        assertEquals(2, section.programs().size());
        assertEquals(0x10L, section.programs().get(1).table().row(0).address());
    }

    @Test
    void truncatedProgramsAreDwarfExceptions() {
        Bytes header = new Bytes().u8(1).u8(1).u8(1).u8(4).u8(10).u8(0, 1, 1, 1, 1, 0, 0, 0, 1).u8(0)
                .cstr("m.c").uleb(0).uleb(0).uleb(0).u8(0);
        byte[] cut = unit(2, header, new Bytes().u8(0).uleb(9).u8(2)); // set_address without its operand
        DwarfSections s = sections(cut, new byte[0]);
        LineProgram p = LineProgram.at(s, 0, null);
        assertThrows(DwarfException.class, p::table);
        byte[] shortUnit = java.util.Arrays.copyOf(cut, cut.length - 3);
        assertThrows(DwarfException.class, () -> LineProgram.at(sections(shortUnit, new byte[0]), 0, null));
    }

    private static Bytes bytesOf(byte[] data) {
        Bytes b = new Bytes();
        b.out.writeBytes(data);
        return b;
    }

    @Test
    void anExtendedOpcodeWhoseLengthReadsNegativeEndsTheProgramInsteadOfLoopingOnIt() {
        Bytes header = new Bytes().u8(1).u8(1).u8(0xfb).u8(14).u8(13).u8(0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1)
                .u8(0).cstr("m.c").uleb(0).uleb(0).uleb(0).u8(0);
        // length 2^64 - 11 (a 10-byte ULEB128): position + length points back at this very opcode
        Bytes program = setAddress(new Bytes(), 0x2000).u8(1).u8(0).uleb(-11L).u8(0x80);
        LineProgram p = LineProgram.at(sections(unit(3, header, program), new byte[0]), 0, "/cu");
        DwarfException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> assertThrows(DwarfException.class, p::table));
        assertTrue(e.getMessage().contains("runs past"), e.getMessage());
    }
}
