package dev.quiesce.symbols.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quiesce.symbols.dwarf.DwarfException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The CFA program interpreter on hand-built CIE/FDE instructions (DWARF 5 §6.4.2). */
class CfaInterpreterTest {
    // CIE: def_cfa rsp+8; offset ra at cfa-8 (code align 1, data align -8)
    private static final int[] CIE = {0x0c, 7, 8, 0x90, 1};

    private static Fde fde(int... code) {
        Cie cie = new Cie(0, 1, "zR", 1, -8, 16, PointerEncoding.SDATA4 | PointerEncoding.PCREL,
                PointerEncoding.OMIT, 0, false, true, 8, bytes(CIE));
        return new Fde(0x18, cie, 0x1000, 0x1100, 0, bytes(code));
    }

    private static ByteBuffer bytes(int... code) {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        return ByteBuffer.wrap(b);
    }

    private static UnwindRow row(Fde fde, long pc) {
        return CfaInterpreter.rowAt(fde, pc, null);
    }

    @Test
    void typicalPrologueAndEpilogue() {
        // push rbp; mov rsp,rbp; ... leave; ret
        Fde f = fde(0x41, 0x0e, 16, 0x86, 2, 0x43, 0x0d, 6, 0x02, 0x20, 0x0c, 7, 8);
        assertEquals("rsp+8", row(f, 0x1000).cfa().toString());
        assertEquals("c-8", row(f, 0x1000).rule(16).toString());
        assertNull(row(f, 0x1000).rule(6));
        assertEquals("rsp+16", row(f, 0x1001).cfa().toString());
        assertEquals("c-16", row(f, 0x1001).rule(6).toString());
        assertEquals("rbp+16", row(f, 0x1004).cfa().toString());
        assertEquals("rbp+16", row(f, 0x1023).cfa().toString());
        assertEquals("rsp+8", row(f, 0x1024).cfa().toString());
    }

    @Test
    void rememberAndRestoreStateBringBackTheCfaToo() {
        // advance 1: cfa off 16; remember; advance 1: cfa off 8, restore rbx; advance 1: restore_state
        Fde f = fde(0x41, 0x0e, 16, 0x83, 2, 0x0a, 0x41, 0x0e, 8, 0xc3, 0x41, 0x0b);
        assertEquals("rsp+8", row(f, 0x1002).cfa().toString());
        assertNull(row(f, 0x1002).rule(3));
        assertEquals("rsp+16", row(f, 0x1003).cfa().toString());
        assertEquals("c-16", row(f, 0x1003).rule(3).toString());
    }

    @Test
    void everyRegisterRule() {
        Fde f = fde(
                0x07, 3,                 // undefined rbx
                0x08, 12,                // same_value r12
                0x09, 13, 0,             // register r13 in rax
                0x05, 14, 3,             // offset_extended r14 at cfa-24
                0x11, 15, 0x7e,          // offset_extended_sf r15 at cfa+16 (-2 * -8)
                0x14, 6, 2,              // val_offset rbp = cfa-16
                0x15, 1, 0x7f,           // val_offset_sf rdx = cfa+8
                0x10, 2, 2, 0x77, 0x08,  // expression rcx: breg7 +8
                0x16, 4, 1, 0x30,        // val_expression rsi: lit0
                0x2f, 5, 1,              // GNU_negative_offset_extended rdi: cfa+8
                0x2e, 16,                // GNU_args_size
                0x00,                    // nop
                0x12, 6, 0x7e,           // def_cfa_sf rbp, 16
                0x13, 0x7c,              // def_cfa_offset_sf 32
                0x0d, 7);                // def_cfa_register rsp
        UnwindRow r = row(f, 0x1000);
        assertEquals("u", r.rule(3).toString());
        assertEquals("s", r.rule(12).toString());
        assertEquals("rax", r.rule(13).toString());
        assertEquals("c-24", r.rule(14).toString());
        assertEquals("c+16", r.rule(15).toString());
        assertEquals("v-16", r.rule(6).toString());
        assertEquals("v+8", r.rule(1).toString());
        assertEquals("exp", r.rule(2).toString());
        assertEquals("vexp", r.rule(4).toString());
        assertEquals("c+8", r.rule(5).toString());
        assertEquals("rsp+32", r.cfa().toString());
    }

    @Test
    void advanceLocVariantsAndCfaExpression() {
        Fde f = fde(0x02, 0x10, 0x0e, 16, 0x03, 0x00, 0x01, 0x0e, 24, 0x04, 0x00, 0x00, 0x00, 0x00, 0x0f, 2, 0x77, 0x08);
        assertEquals("rsp+8", row(f, 0x100f).cfa().toString());
        assertEquals("rsp+16", row(f, 0x1010).cfa().toString());
        assertEquals("exp", row(f, 0x1110).cfa().toString()); // advance_loc4 0 then def_cfa_expression
    }

    @Test
    void malformedProgramsAreDwarfExceptions() {
        assertThrows(DwarfException.class, () -> row(fde(0x0b), 0x1000)); // restore_state with nothing remembered
        assertThrows(DwarfException.class, () -> row(fde(0x3f), 0x1000)); // unknown opcode
        assertThrows(DwarfException.class, () -> row(fde(0x0f, 2, 0x77, 0x08, 0x0e, 8), 0x1000)); // offset of an expression CFA
    }
}
