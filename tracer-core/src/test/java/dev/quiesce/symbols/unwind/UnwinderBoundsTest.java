package dev.quiesce.symbols.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The unwinder on stacks that lie: a CFA that repeats, one that goes down, a chain that never
 * ends and a garbage return address. Hand-built .debug_frame CFI for one function at
 * 0x1000..0x2000, and a memory that is a function of the address. Each walk ends, quickly.
 */
class UnwinderBoundsTest {
    private static final Duration QUICK = Duration.ofSeconds(5);
    private static final int RSP = 7;
    private static final int RBP = 6;

    /** A .debug_frame with one CIE (code align 1, data align -8, RA column 16) and one FDE over 0x1000..0x2000. */
    private static Module module(int... cieInstructions) {
        ByteArrayOutputStream cie = new ByteArrayOutputStream();
        cie.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // CIE_id
        cie.write(1); // version
        cie.write(0); // augmentation ""
        cie.write(1); // code_alignment_factor
        cie.write(0x78); // data_alignment_factor -8
        cie.write(16); // return_address_register
        for (int b : cieInstructions) {
            cie.write(b);
        }
        while (cie.size() % 8 != 4) {
            cie.write(0); // DW_CFA_nop padding
        }
        ByteArrayOutputStream section = new ByteArrayOutputStream();
        u32(section, cie.size());
        section.writeBytes(cie.toByteArray());
        ByteArrayOutputStream fde = new ByteArrayOutputStream();
        u32(fde, 0); // CIE_pointer: the CIE at offset 0
        u64(fde, 0x1000);
        u64(fde, 0x1000);
        u32(section, fde.size());
        section.writeBytes(fde.toByteArray());
        PointerEncoding.Bases bases = new PointerEncoding.Bases(0, 0, 0, 0, LongUnaryOperator.identity());
        CallFrameTable table = CallFrameTable.debugFrame(FrameSection.debugFrame(ByteBuffer.wrap(section.toByteArray()), bases));
        ModuleCfi cfi = new ModuleCfi(List.of(table));
        return new Module("lying", 0x1000, 0x2000, 0, null, () -> cfi);
    }

    private static void u32(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void u64(ByteArrayOutputStream out, long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    /** Memory whose 8-byte words are {@code word(address)}; -1 means unmapped. */
    private static MemoryReader memory(LongUnaryOperator word) {
        return (address, buffer) -> {
            for (int i = 0; i < buffer.length; i += 8) {
                long w = word.applyAsLong(address + i);
                if (w == -1) {
                    return i;
                }
                for (int k = 0; k < 8 && i + k < buffer.length; k++) {
                    buffer[i + k] = (byte) (w >>> (8 * k));
                }
            }
            return buffer.length;
        };
    }

    private static List<Frame> unwind(Module m, MemoryReader memory, RegisterSet regs, int max) {
        ModuleLookup lookup = pc -> m.contains(pc) ? Optional.of(m) : Optional.empty();
        return assertTimeoutPreemptively(QUICK, () -> new Unwinder(memory, lookup).unwind(regs, max));
    }

    private static RegisterSet regs(long pc, long rsp, long rbp) {
        return RegisterSet.empty().with(Dwarf86Registers.RA, pc).with(RSP, rsp).with(RBP, rbp);
    }

    @Test
    void aRepeatingCfaEndsTheWalk() {
        // CFA = rsp + 0 and the return address at CFA: every caller has the same CFA as its callee
        Module m = module(0x0c, RSP, 0, 0x90, 0);
        List<Frame> frames = unwind(m, memory(a -> 0x1010), regs(0x1000, 0x8000, 0), 1000);
        assertEquals(2, frames.size(), frames.toString());
        assertEquals(frames.get(0).cfa(), frames.get(1).cfa());
    }

    @Test
    void aCfaThatGoesDownEndsTheWalk() {
        // CFA = rbp + 16, rbp saved at CFA-16, return address at CFA-8; the saved rbps go down the stack
        Module m = module(0x0c, RBP, 16, 0x86, 2, 0x90, 1);
        MemoryReader mem = memory(a -> (a & 0xf) == 0 ? a - 0x100 : 0x1010);
        List<Frame> frames = unwind(m, mem, regs(0x1000, 0x7ff0, 0x8000), 1000);
        assertEquals(2, frames.size(), frames.toString());
        assertTrue(Long.compareUnsigned(frames.get(1).cfa(), frames.get(0).cfa()) < 0);
    }

    @Test
    void aChainThatNeverEndsStopsAtTheFrameLimit() {
        Module m = module(0x0c, RBP, 16, 0x86, 2, 0x90, 1);
        MemoryReader up = memory(a -> (a & 0xf) == 0 ? a + 0x100 : 0x1010); // every saved rbp one step further up
        assertEquals(50, unwind(m, up, regs(0x1000, 0x7ff0, 0x8000), 50).size());
        assertEquals(Unwinder.MAX_FRAMES, new Unwinder(up, pc -> m.contains(pc) ? Optional.of(m) : Optional.empty())
                .unwind(regs(0x1000, 0x7ff0, 0x8000)).size());
        assertEquals(Unwinder.HARD_FRAME_LIMIT, unwind(m, up, regs(0x1000, 0x7ff0, 0x8000), Integer.MAX_VALUE).size());
    }

    @Test
    void aGarbageReturnAddressEndsTheWalkWhereMemoryDoes() {
        Module m = module(0x0c, RSP, 8, 0x90, 1); // function entry: CFA = rsp + 8, return address at CFA-8
        // the return address is garbage (no module, no code); beyond the word at 0x8000 nothing is mapped
        MemoryReader mem = memory(a -> a == 0x8000 ? 0xdead_beef_0000L : -1);
        List<Frame> frames = unwind(m, mem, regs(0x1000, 0x8000, 0), 1000);
        assertEquals(2, frames.size(), frames.toString());
        assertEquals(0xdead_beef_0000L, frames.get(1).pc());
    }
}
