package dev.quiesce.symbols.unwind;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Finds the FDE and the unwind row for a link-time pc in one frame section: through
 * .eh_frame_hdr's binary search table when there is one, else through a sorted index of every
 * FDE built on first use. Safe for concurrent use.
 */
public final class CallFrameTable {
    private final FrameSection section;
    private final EhFrameHdr hdr;
    private final long sectionAddress;
    private volatile Index index;

    private CallFrameTable(FrameSection section, EhFrameHdr hdr, long sectionAddress) {
        this.section = section;
        this.hdr = hdr;
        this.sectionAddress = sectionAddress;
    }

    /** .eh_frame at link-time {@code sectionAddress}, searched through {@code hdr} if present. */
    public static CallFrameTable ehFrame(FrameSection section, Optional<EhFrameHdr> hdr, long sectionAddress) {
        return new CallFrameTable(section, hdr.orElse(null), sectionAddress);
    }

    public static CallFrameTable debugFrame(FrameSection section) {
        return new CallFrameTable(section, null, 0);
    }

    public FrameSection section() {
        return section;
    }

    public boolean hasSearchTable() {
        return hdr != null;
    }

    public Optional<Fde> fdeFor(long pc) {
        if (hdr != null) {
            Optional<Long> address = hdr.fdeAddressFor(pc);
            if (address.isEmpty()) {
                return Optional.empty();
            }
            long offset = address.get() - sectionAddress;
            if (offset < 0 || offset >= section.size()) {
                return indexed(pc); // a table that does not match the section: trust the section
            }
            Fde fde = section.fdeAt(offset);
            return fde != null && fde.contains(pc) ? Optional.of(fde) : Optional.empty();
        }
        return indexed(pc);
    }

    public Optional<UnwindRow> rowFor(long pc) {
        return fdeFor(pc).map(fde -> CfaInterpreter.rowAt(fde, pc, section.bases()));
    }

    private Optional<Fde> indexed(long pc) {
        Index ix = index;
        if (ix == null) {
            ix = new Index(section.fdes());
            index = ix;
        }
        return ix.find(pc);
    }

    /** FDEs sorted by start address; zero-length ones (padding) left out. */
    private static final class Index {
        private final Fde[] fdes;
        private final long[] starts;

        Index(List<Fde> all) {
            fdes = all.stream().filter(f -> f.pcEnd() != f.pcBegin())
                    .sorted((a, b) -> Long.compareUnsigned(a.pcBegin(), b.pcBegin())).toArray(Fde[]::new);
            starts = Arrays.stream(fdes).mapToLong(Fde::pcBegin).toArray();
        }

        Optional<Fde> find(long pc) {
            int lo = 0;
            int hi = starts.length - 1;
            int found = -1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Long.compareUnsigned(starts[mid], pc) <= 0) {
                    found = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            // Nested or overlapping ranges are rare; look back a little for one that contains pc.
            for (int i = found; i >= 0 && i > found - 4; i--) {
                if (fdes[i].contains(pc)) {
                    return Optional.of(fdes[i]);
                }
            }
            return Optional.empty();
        }
    }
}
