package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DwarfExpressionTest {
    private static final ExpressionContext CONTEXT = new ExpressionContext() {
        @Override
        public long register(int n) {
            return 1000L * n;
        }

        @Override
        public long readMemory(long address, int size) {
            return size == 8 ? address + 1 : (address + 1) & ((1L << (8 * size)) - 1);
        }

        @Override
        public long frameBase() {
            return 5000;
        }
    };

    private static long value(int... code) {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        return DwarfExpression.evaluate(b, CONTEXT).value();
    }

    private static ExpressionResult run(int... code) {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        return DwarfExpression.evaluate(b, CONTEXT);
    }

    @Test
    void literalsAndArithmetic() {
        assertEquals(7, value(0x33, 0x34, 0x22)); // lit3 lit4 plus
        assertEquals(-1, value(0x33, 0x34, 0x1c)); // lit3 lit4 minus
        assertEquals(12, value(0x33, 0x34, 0x1e)); // mul
        assertEquals(-3, value(0x11, 0x79, 0x32, 0x1b)); // consts -7, lit2, div (signed, truncating)
        assertEquals(1, value(0x37, 0x32, 0x1d)); // 7 mod 2
        assertEquals(16, value(0x31, 0x34, 0x24)); // 1 << 4
        assertEquals(-1, value(0x11, 0x7f, 0x31, 0x26)); // -1 shra 1
        assertEquals(Long.MAX_VALUE, value(0x11, 0x7f, 0x31, 0x25)); // -1 shr 1
        assertEquals(5, value(0x11, 0x7b, 0x19)); // abs -5
        assertEquals(300 + 10, value(0x10, 0xac, 0x02, 0x23, 0x0a)); // constu 300, plus_uconst 10
        assertEquals(0x1234, value(0x0a, 0x34, 0x12)); // const2u
        assertEquals(-2, value(0x0b, 0xfe, 0xff)); // const2s
    }

    @Test
    void stackOperators() {
        assertEquals(2, value(0x31, 0x32, 0x16, 0x13)); // 1 2 swap -> 2 1; drop leaves 2
    }

    @Test
    void stackOperatorsInDetail() {
        assertEquals(2, value(0x31, 0x32, 0x16, 0x1a, 0x32, 0x22, 0x30, 0x22) - 0 - 2 + 2); // (2&1)=0 +2 +0 = 2
        assertEquals(1, value(0x31, 0x32, 0x14, 0x16, 0x13, 0x16, 0x13)); // over / swap / drop
        assertEquals(3, value(0x31, 0x32, 0x33, 0x17, 0x13, 0x13)); // rot: 1 2 3 -> 3 1 2; drop drop -> 3
        assertEquals(1, value(0x31, 0x32, 0x33, 0x15, 0x02)); // pick 2
        assertEquals(2, value(0x32, 0x12, 0x1c, 0x32, 0x22)); // dup minus -> 0, +2
    }

    @Test
    void comparisonsAndBranches() {
        assertEquals(1, value(0x11, 0x7f, 0x31, 0x2d)); // -1 < 1 signed
        assertEquals(0, value(0x31, 0x31, 0x2e)); // ne
        assertEquals(9, value(0x31, 0x28, 0x02, 0x00, 0x30, 0x2f, 0x39)); // lit1 bra +2 -> skip "lit0 skip"? lands on lit9
        assertEquals(5, value(0x2f, 0x01, 0x00, 0x30, 0x35)); // skip over lit0
    }

    @Test
    void registersMemoryAndFrameBase() {
        assertEquals(7008, value(0x77, 0x08)); // breg7 +8
        assertEquals(17000 - 1, value(0x92, 0x11, 0x7f)); // bregx 17, -1
        assertEquals(5000 - 16, value(0x91, 0x70)); // fbreg -16
        assertEquals(101, value(0x08, 100, 0x06)); // deref: our memory returns address + 1
        assertEquals(0, value(0x08, 0xff, 0x94, 0x01)); // deref_size 1: 0x100 truncated to one byte
    }

    @Test
    void locations() {
        assertEquals(new ValueLocation.Register(3), run(0x53).location());
        assertEquals(new ValueLocation.Register(40), run(0x90, 40).location());
        assertEquals(new ValueLocation.Value(7), run(0x37, 0x9f).location());
        assertEquals(new ValueLocation.Memory(7006), run(0x77, 0x06).location());
        assertTrue(run().location() instanceof ValueLocation.OptimizedOut);
        ValueLocation.Implicit implicit = (ValueLocation.Implicit) run(0x9e, 2, 0xaa, 0xbb).location();
        assertEquals(2, implicit.bytes().length);
    }

    @Test
    void pieces() {
        // rax (4 bytes), nothing (4 bytes), memory at breg6+0 (8 bytes), bit_piece 3 bits at offset 5 of value 1
        ExpressionResult r = run(0x50, 0x93, 4, 0x93, 4, 0x76, 0x00, 0x93, 8, 0x31, 0x9f, 0x9d, 3, 5);
        assertTrue(r.composite());
        assertEquals(List.of(new Piece(new ValueLocation.Register(0), 32, 0), new Piece(new ValueLocation.OptimizedOut(), 32, 0),
                new Piece(new ValueLocation.Memory(6000), 64, 0), new Piece(new ValueLocation.Value(1), 3, 5)), r.pieces());
    }

    @Test
    void cfiExpressionsStartWithTheCfaPushed() {
        assertEquals(0x1010, DwarfExpression.evaluate(new byte[] {0x23, 0x10}, CONTEXT, 0x1000).value());
    }

    @Test
    void errorsAreDwarfExceptions() {
        assertThrows(DwarfException.class, () -> value(0x22)); // underflow
        assertThrows(DwarfException.class, () -> value(0x31, 0x30, 0x1b)); // div by zero
        assertThrows(DwarfException.class, () -> value(0x9c)); // no CFA callback
        assertThrows(DwarfException.class, () -> value(0xa3, 1, 0x50)); // entry_value not known
        assertThrows(DwarfException.class, () -> value(0xfa, 0, 0, 0, 0)); // GNU_parameter_ref
        assertThrows(DwarfException.class, () -> value(0x0c, 1)); // truncated
        assertThrows(DwarfException.class, () -> value(0x2f, 0x00, 0x10)); // branch out of range
        assertThrows(DwarfException.class, () -> value(0x01)); // unknown opcode
    }
}
