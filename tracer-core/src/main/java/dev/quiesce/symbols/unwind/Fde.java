package dev.quiesce.symbols.unwind;

import java.nio.ByteBuffer;

/**
 * A Frame Description Entry (DWARF 5 §6.4.1): the link-time pc range [pcBegin, pcEnd) it covers,
 * its CIE and its call frame instructions.
 */
public record Fde(long offset, Cie cie, long pcBegin, long pcEnd, long lsda, ByteBuffer instructions) {

    public boolean contains(long pc) {
        return Long.compareUnsigned(pc, pcBegin) >= 0 && Long.compareUnsigned(pc, pcEnd) < 0;
    }

    public ByteBuffer instructions() {
        return instructions.duplicate().order(instructions.order());
    }
}
