package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.dwarf.DwarfCursor;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * .eh_frame_hdr (LSB 5.0 "Exception Frame Header"): a sorted table of (initial location, FDE
 * address) pairs for a binary search by pc. Only tables with a fixed-size encoding can be
 * searched; {@link #parse} gives empty otherwise, and the caller builds its own index.
 */
public final class EhFrameHdr {
    private final ByteBuffer data;
    private final long address;
    private final int tableEncoding;
    private final int entrySize;
    private final int tableStart;
    private final int count;

    private EhFrameHdr(ByteBuffer data, long address, int tableEncoding, int entrySize, int tableStart, int count) {
        this.data = data;
        this.address = address;
        this.tableEncoding = tableEncoding;
        this.entrySize = entrySize;
        this.tableStart = tableStart;
        this.count = count;
    }

    /** {@code address} is the section's link-time address (the base of DW_EH_PE_datarel). */
    public static Optional<EhFrameHdr> parse(ByteBuffer data, long address) {
        if (data.limit() < 4) {
            return Optional.empty();
        }
        DwarfCursor c = new DwarfCursor(data);
        int version = c.u8();
        int framePtrEncoding = c.u8();
        int countEncoding = c.u8();
        int tableEncoding = c.u8();
        if (version != 1 || countEncoding == PointerEncoding.OMIT || tableEncoding == PointerEncoding.OMIT) {
            return Optional.empty();
        }
        PointerEncoding.Bases bases = new PointerEncoding.Bases(address, 0, address, 0, null);
        PointerEncoding.read(c, framePtrEncoding, bases);
        long count = PointerEncoding.read(c, countEncoding, bases);
        int size = PointerEncoding.size(tableEncoding);
        if (size < 0 || (tableEncoding & 0x70) == PointerEncoding.ALIGNED || count < 0
                || c.position() + count * 2 * size > data.limit()) {
            return Optional.empty();
        }
        return Optional.of(new EhFrameHdr(data, address, tableEncoding, size * 2, c.position(), (int) count));
    }

    public int count() {
        return count;
    }

    /**
     * The link-time address of the FDE whose initial location is the greatest one ≤ pc, or empty
     * when pc is below every entry. The caller checks the FDE's range.
     */
    public Optional<Long> fdeAddressFor(long pc) {
        int lo = 0;
        int hi = count - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(location(mid), pc) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return Optional.empty();
        }
        DwarfCursor c = new DwarfCursor(data, tableStart + found * entrySize + entrySize / 2);
        return Optional.of(PointerEncoding.read(c, tableEncoding, bases()));
    }

    private long location(int i) {
        return PointerEncoding.read(new DwarfCursor(data, tableStart + i * entrySize), tableEncoding, bases());
    }

    private PointerEncoding.Bases bases() {
        return new PointerEncoding.Bases(address, 0, address, 0, null);
    }
}
