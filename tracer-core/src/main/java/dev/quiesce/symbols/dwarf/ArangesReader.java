package dev.quiesce.symbols.dwarf;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/** Reads {@code .debug_aranges} (DWARF 5 section 6.1.2): address ranges per unit offset. */
final class ArangesReader {
    private ArangesReader() {
    }

    /** Calls {@code sink} with (unit offset, range) for every tuple. */
    static void read(ByteBuffer aranges, BiConsumer<Long, AddressRange> sink) {
        DwarfCursor c = new DwarfCursor(aranges);
        while (!c.atEnd()) {
            int setStart = c.position();
            long length = c.initialLength();
            boolean dwarf64 = c.lastWasDwarf64();
            int end = (int) (c.position() + length);
            c.u16(); // version 2
            long unitOffset = c.offset(dwarf64);
            int addressSize = c.u8();
            int segmentSize = c.u8();
            // Tuples are aligned to twice the tuple size from the start of the set.
            int tuple = 2 * addressSize + segmentSize;
            if (addressSize != 4 && addressSize != 8) {
                throw new DwarfException("address ranges with " + addressSize + "-byte addresses"); // also: tuple 0, no progress
            }
            int rel = c.position() - setStart;
            int pad = (tuple - rel % tuple) % tuple;
            c.skip(pad);
            while (c.position() + tuple <= end) {
                if (segmentSize > 0) {
                    c.skip(segmentSize);
                }
                long addr = c.unsigned(addressSize);
                long len = c.unsigned(addressSize);
                if (addr == 0 && len == 0) {
                    break;
                }
                sink.accept(unitOffset, new AddressRange(addr, addr + len));
            }
            c.seek(end);
        }
    }
}
