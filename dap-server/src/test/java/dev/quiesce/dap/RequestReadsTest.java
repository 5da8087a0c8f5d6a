package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.values.Memory;
import dev.quiesce.values.MemoryAccessError;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The block cache of a {@code variables} request's reads, on this JVM's own memory through
 * /proc/self/mem (a real ProcessMemory; the bytes are a native buffer this test writes).
 */
class RequestReadsTest {
    private ProcessMemory self;
    private com.sun.jna.Memory buffer;

    @BeforeEach
    void open() throws Exception {
        self = new ProcessMemory((int) ProcessHandle.current().pid());
        buffer = new com.sun.jna.Memory(3 * RequestReads.BLOCK);
        for (int i = 0; i < 3 * RequestReads.BLOCK; i++) {
            buffer.setByte(i, (byte) i);
        }
    }

    @AfterEach
    void close() {
        self.close();
        buffer.close();
    }

    private long address(long offset) {
        return com.sun.jna.Pointer.nativeValue(buffer) + offset;
    }

    @Test
    void readsAcrossBlocksAreTheBytesThere() {
        Memory m = DeadlineMemory.of(self);
        long at = address(RequestReads.BLOCK - 3); // straddles a block boundary, wherever the buffer starts
        byte[] direct = m.read(at, 10);
        byte[] cached = RequestReads.during(() -> m.read(at, 10));
        assertArrayEquals(direct, cached);
        assertEquals((byte) (RequestReads.BLOCK - 3), cached[0]);
    }

    @Test
    void aRequestSeesEachBlockAsItFirstReadItAndAWriteClearsThat() {
        Memory m = DeadlineMemory.of(self);
        long at = address(100);
        RequestReads.during(() -> {
            assertEquals((byte) 100, m.read(at, 1)[0]);
            buffer.setByte(100, (byte) 7); // the program changes it behind the request's back
            assertEquals((byte) 100, m.read(at, 1)[0], "the block read once stays what the request saw");
            m.write(at + 1, new byte[] {9}); // the request itself writes: its cache starts over
            assertEquals((byte) 7, m.read(at, 1)[0]);
            assertEquals((byte) 9, m.read(at + 1, 1)[0]);
            return null;
        });
        assertEquals((byte) 7, m.read(at, 1)[0], "outside a request every read is fresh");
        assertNull(RequestReads.current());
    }

    @Test
    void unmappedMemoryIsTheSameErrorAsWithoutTheCache() {
        Memory m = DeadlineMemory.of(self);
        MemoryAccessError direct = assertThrows(MemoryAccessError.class, () -> m.read(0x10, 8));
        MemoryAccessError cached = assertThrows(MemoryAccessError.class, () -> RequestReads.during(() -> m.read(0x10, 8)));
        assertEquals(direct.getMessage(), cached.getMessage());
        assertEquals("Cannot access memory at address 0x10", cached.getMessage());
    }

    @Test
    void largeReadsGoStraightToTheProcess() {
        Memory m = DeadlineMemory.of(self);
        byte[] all = RequestReads.during(() -> m.read(address(0), 3 * RequestReads.BLOCK));
        assertEquals(3 * RequestReads.BLOCK, all.length);
        assertEquals((byte) 5, all[5]);
    }
}
