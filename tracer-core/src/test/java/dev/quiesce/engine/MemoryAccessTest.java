package dev.quiesce.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.quiesce.disasm.Capstone;
import dev.quiesce.linux.Registers;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The page trap's decoder against Capstone (the instruction's length and text) and by hand (the
 * effective address, size and bytes stored or loaded): every mov form gcc emits for globals, a
 * field through a register, an array element, thread-locals (fs), and instructions it must
 * leave to single-stepping.
 */
class MemoryAccessTest {
    private static final long PC = 0x401000;

    /** rax=0x1122334455667788, rcx=3, rbp=0x7ff000, r12=0x500000, rdi=0x600000, r8=0xaabb, fs_base=0x9000. */
    private static Registers regs() {
        long[] w = new long[Registers.COUNT];
        w[10] = 0x1122334455667788L; // rax
        w[11] = 3; // rcx
        w[4] = 0x7ff000; // rbp
        w[3] = 0x500000; // r12
        w[14] = 0x600000; // rdi
        w[9] = 0xaabb; // r8
        w[Registers.FS_BASE] = 0x9000;
        w[Registers.RIP] = PC;
        return new Registers(w);
    }

    private static MemoryAccess decoded(String hex, String capstoneText) {
        byte[] code = HexFormat.of().parseHex(hex);
        if (Capstone.available()) {
            Capstone.Instruction i = Capstone.disassemble(code, PC, 1).get(0);
            assertEquals(capstoneText, i.text(), "what the bytes are");
            assertEquals(i.bytes().length, MemoryAccess.decode(code).length(), "the length Capstone decodes for " + capstoneText);
        }
        return MemoryAccess.decode(code);
    }

    @Test
    void storesOfImmediatesAndRegistersToRipRelativeGlobals() {
        MemoryAccess a = decoded("c705a82e000002000000", "movl $2, 0x2ea8(%rip)");
        assertEquals(PC + 10 + 0x2ea8, a.address(regs()));
        assertEquals(4, a.size());
        assertEquals("02000000", HexFormat.of().formatHex(a.storedBytes(regs())));
        a = decoded("488905a82e0000", "movq %rax, 0x2ea8(%rip)");
        assertEquals(PC + 7 + 0x2ea8, a.address(regs()));
        assertEquals("8877665544332211", HexFormat.of().formatHex(a.storedBytes(regs())));
        a = decoded("882510000000", "movb %ah, 0x10(%rip)");
        assertEquals("77", HexFormat.of().formatHex(a.storedBytes(regs())), "ah is bits 8-15 of rax");
        a = decoded("48c705f0ffffffffffffff", "movq $-1, -0x10(%rip)");
        assertEquals("ffffffffffffffff", HexFormat.of().formatHex(a.storedBytes(regs())), "imm32 sign-extended to 64 bits");
    }

    @Test
    void addressingThroughRegistersIndexAndScale() {
        MemoryAccess a = decoded("4189442408", "movl %eax, 8(%r12)");
        assertEquals(0x500008, a.address(regs()));
        a = decoded("66c7448df03412", "movw $0x1234, -0x10(%rbp, %rcx, 4)");
        assertEquals(0x7ff000 - 0x10 + 3 * 4, a.address(regs()));
        assertEquals("3412", HexFormat.of().formatHex(a.storedBytes(regs())));
        a = decoded("4488040f", "movb %r8b, (%rdi, %rcx)");
        assertEquals(0x600003, a.address(regs()));
        assertEquals("bb", HexFormat.of().formatHex(a.storedBytes(regs())));
    }

    @Test
    void loadsSetTheRegisterAsTheCpuWould() {
        MemoryAccess a = decoded("64488b042528000000", "movq %fs:0x28, %rax");
        assertEquals(0x9028, a.address(regs()));
        assertEquals(0x0102030405060708L, a.loaded(regs(), HexFormat.of().parseHex("0807060504030201")).get(10));
        a = decoded("8b0510000000", "movl 0x10(%rip), %eax");
        assertEquals(0xfffffffeL, a.loaded(regs(), HexFormat.of().parseHex("feffffff")).get(10), "a 32-bit load clears the upper half");
        a = decoded("0fb60510000000", "movzbl 0x10(%rip), %eax");
        assertEquals(0xf0L, a.loaded(regs(), HexFormat.of().parseHex("f0")).get(10));
        a = decoded("48630510000000", "movslq 0x10(%rip), %rax");
        assertEquals(-2L, a.loaded(regs(), HexFormat.of().parseHex("feffffff")).get(10));
        a = decoded("668b0510000000", "movw 0x10(%rip), %ax");
        assertEquals(0x112233445566beefL, a.loaded(regs(), HexFormat.of().parseHex("efbe")).get(10), "a 16-bit load keeps the rest");
    }

    @Test
    void readModifyWriteLockedAndVectorInstructionsAreLeftToStepping() {
        assertNull(MemoryAccess.decode(HexFormat.of().parseHex("f00fc10510000000")), "lock xadd");
        assertNull(MemoryAccess.decode(HexFormat.of().parseHex("830510000000" + "01")), "addl $1, mem");
        assertNull(MemoryAccess.decode(HexFormat.of().parseHex("0f110510000000")), "movups %xmm0, mem");
        assertNull(MemoryAccess.decode(HexFormat.of().parseHex("f3aa")), "rep stosb");
        assertNull(MemoryAccess.decode(HexFormat.of().parseHex("4889c8")), "mov between registers: no memory");
        assertEquals(4, MemoryAccess.widthOf(HexFormat.of().parseHex("830510000000" + "01")), "addl: 4 bytes");
        assertEquals(1, MemoryAccess.widthOf(HexFormat.of().parseHex("803d1000000000")), "cmpb: 1 byte");
        assertEquals(8, MemoryAccess.widthOf(HexFormat.of().parseHex("ff2510000000")), "jmp *GOT: 8 bytes");
        assertEquals(64, MemoryAccess.widthOf(HexFormat.of().parseHex("0f110510000000")), "a vector store: up to 64");
    }
}
