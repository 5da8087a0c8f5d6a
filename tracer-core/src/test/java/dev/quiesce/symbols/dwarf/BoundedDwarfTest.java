package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Corrupt or hostile DWARF drives no loop without end and no allocation of its choosing: each
 * case ends in a DwarfException within a second (a regression fails here instead of hanging).
 */
class BoundedDwarfTest {
    private static final Duration QUICK = Duration.ofSeconds(5);
    private static final ExpressionContext CONTEXT = new ExpressionContext() {
        @Override
        public long readMemory(long address, int size) {
            return address;
        }
    };

    private static DwarfException failure(int... code) {
        byte[] b = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            b[i] = (byte) code[i];
        }
        return assertTimeoutPreemptively(QUICK, () -> assertThrows(DwarfException.class, () -> DwarfExpression.evaluate(b, CONTEXT)));
    }

    @Test
    void aBranchBackwardsForeverStopsAtTheStepLimit() {
        // lit1; bra -4 (back to lit1): the condition is always true
        DwarfException e = failure(0x31, 0x28, 0xfc, 0xff);
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
        // skip -3: jumps to itself
        assertTrue(failure(0x2f, 0xfd, 0xff).getMessage().contains("steps"));
    }

    @Test
    void theStackCannotGrowWithoutBound() {
        // lit1; dup; skip -4 (back to dup): one more entry per turn
        DwarfException e = failure(0x31, 0x12, 0x2f, 0xfc, 0xff);
        assertTrue(e.getMessage().contains("stack grows past " + DwarfExpression.MAX_STACK), e.getMessage());
    }

    @Test
    void aBlockLongerThanItsSectionIsRefusedBeforeAllocating() {
        // DW_OP_implicit_value of 2^31 - 1 bytes in a 7-byte expression
        DwarfException e = failure(0x9e, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00);
        assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("runs past"), e.getMessage());
        DwarfCursor c = new DwarfCursor(ByteBuffer.wrap(new byte[4]));
        assertThrows(DwarfException.class, () -> c.bytes(-1)); // a u32 length of 0xffffffff cast to int
        assertThrows(DwarfException.class, () -> c.bytes(5));
        // DW_FORM_block with a ULEB128 length of 2^64 - 3: skipping it must not move the cursor back
        DwarfCursor block = new DwarfCursor(ByteBuffer.wrap(new byte[] {(byte) 0xfd, -1, -1, -1, -1, -1, -1, -1, -1, 1, 0, 0}));
        assertThrows(DwarfException.class, () -> block.skip(block.uleb()));
    }
}
