package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.dwarf.DwarfCursor;
import dev.quiesce.symbols.dwarf.DwarfException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The CIEs and FDEs of one .eh_frame or .debug_frame section (DWARF 5 §6.4.1 and the LSB's
 * .eh_frame). The differences: in .eh_frame a CIE has id 0 and an FDE points back to its CIE
 * relative to its own id field, addresses use the CIE's DW_EH_PE encoding, and a zero length ends
 * the section; in .debug_frame a CIE has id 0xffffffff, an FDE holds the CIE's section offset and
 * addresses are plain target addresses. Entries are parsed on demand; safe for concurrent use.
 */
public final class FrameSection {
    private final ByteBuffer data;
    private final boolean eh;
    private final PointerEncoding.Bases bases;
    private final Map<Long, Cie> cies = new ConcurrentHashMap<>();
    private volatile List<Fde> fdes;

    private FrameSection(ByteBuffer data, boolean eh, PointerEncoding.Bases bases) {
        this.data = data;
        this.eh = eh;
        this.bases = bases;
    }

    /** An .eh_frame; {@code bases.section()} must be its link-time address. */
    public static FrameSection ehFrame(ByteBuffer data, PointerEncoding.Bases bases) {
        return new FrameSection(data, true, bases);
    }

    /** A .debug_frame (not loaded, so pc-relative encodings are meaningless; bases may say 0). */
    public static FrameSection debugFrame(ByteBuffer data, PointerEncoding.Bases bases) {
        return new FrameSection(data, false, bases);
    }

    public boolean isEhFrame() {
        return eh;
    }

    public PointerEncoding.Bases bases() {
        return bases;
    }

    public int size() {
        return data.limit();
    }

    /** Every FDE in section order, parsed once. */
    public List<Fde> fdes() {
        List<Fde> all = fdes;
        if (all == null) {
            all = Collections.unmodifiableList(parseAll());
            fdes = all;
        }
        return all;
    }

    private List<Fde> parseAll() {
        List<Fde> out = new ArrayList<>();
        long offset = 0;
        while (offset + 4 <= data.limit()) {
            DwarfCursor c = new DwarfCursor(data, (int) offset);
            long length = c.initialLength();
            if (length == 0) {
                if (eh) {
                    break; // the terminator (LSB: a zero-length entry ends .eh_frame)
                }
                offset = c.position();
                continue;
            }
            long next = c.position() + length;
            if (next > data.limit()) {
                throw new DwarfException(name() + " entry at 0x" + Long.toHexString(offset) + " runs past the section");
            }
            Fde fde = fdeAt(offset);
            if (fde != null) {
                out.add(fde);
            }
            offset = next;
        }
        return out;
    }

    /** The FDE at a section offset, or null if a CIE (or the terminator) is there. */
    public Fde fdeAt(long offset) {
        DwarfCursor c = new DwarfCursor(data, (int) offset);
        long length = c.initialLength();
        if (length == 0) {
            return null;
        }
        boolean dwarf64 = c.lastWasDwarf64();
        int idAt = c.position();
        long end = idAt + length;
        long id = c.offset(dwarf64);
        if (isCieId(id, dwarf64)) {
            return null;
        }
        long cieOffset = eh ? idAt - id : id;
        Cie cie = cieAt(cieOffset);
        long pcBegin;
        long pcRange;
        if (eh || cie.hasAugmentationData()) {
            pcBegin = PointerEncoding.read(c, cie.fdeEncoding(), bases);
            pcRange = PointerEncoding.readRaw(c, cie.fdeEncoding());
        } else {
            pcBegin = c.unsigned(cie.addressSize());
            pcRange = c.unsigned(cie.addressSize());
        }
        long lsda = 0;
        if (cie.hasAugmentationData()) {
            long augLength = c.uleb();
            int augEnd = (int) (c.position() + augLength);
            if (cie.lsdaEncoding() != PointerEncoding.OMIT && augLength > 0) {
                lsda = PointerEncoding.read(c, cie.lsdaEncoding(), bases.withFunction(pcBegin));
            }
            c.seek(augEnd);
        }
        ByteBuffer instructions = slice(c, end);
        return new Fde(offset, cie, pcBegin, pcBegin + pcRange, lsda, instructions);
    }

    private boolean isCieId(long id, boolean dwarf64) {
        if (eh) {
            return id == 0;
        }
        return dwarf64 ? id == -1L : id == 0xffffffffL;
    }

    /** The CIE at a section offset. */
    public Cie cieAt(long offset) {
        Cie cie = cies.get(offset);
        if (cie == null) {
            cie = parseCie(offset);
            cies.put(offset, cie);
        }
        return cie;
    }

    private Cie parseCie(long offset) {
        if (offset < 0 || offset + 4 > data.limit()) {
            throw new DwarfException(name() + ": CIE offset 0x" + Long.toHexString(offset) + " outside the section");
        }
        DwarfCursor c = new DwarfCursor(data, (int) offset);
        long length = c.initialLength();
        boolean dwarf64 = c.lastWasDwarf64();
        int idAt = c.position();
        long end = idAt + length;
        long id = c.offset(dwarf64);
        if (!isCieId(id, dwarf64)) {
            throw new DwarfException(name() + ": no CIE at 0x" + Long.toHexString(offset));
        }
        int version = c.u8();
        if (version != 1 && version != 3 && version != 4) {
            throw new DwarfException(name() + ": CIE at 0x" + Long.toHexString(offset) + " has version " + version);
        }
        String augmentation = c.cstring();
        int addressSize = 8;
        if (augmentation.contains("eh")) {
            c.u64(); // old GCC: the address of the exception table
        }
        if (version == 4) {
            addressSize = c.u8();
            c.u8(); // segment selector size
        }
        long codeAlignment = c.uleb();
        long dataAlignment = c.sleb();
        int returnAddress = version == 1 ? c.u8() : (int) c.uleb();
        int fdeEncoding = eh ? PointerEncoding.ABSPTR : (addressSize == 4 ? PointerEncoding.UDATA4 : PointerEncoding.ABSPTR);
        int lsdaEncoding = PointerEncoding.OMIT;
        long personality = 0;
        boolean signalFrame = false;
        boolean z = augmentation.startsWith("z");
        if (z) {
            long augLength = c.uleb();
            int augEnd = (int) (c.position() + augLength);
            for (int i = 1; i < augmentation.length(); i++) {
                char a = augmentation.charAt(i);
                if (a == 'R') {
                    fdeEncoding = c.u8();
                } else if (a == 'L') {
                    lsdaEncoding = c.u8();
                } else if (a == 'P') {
                    int encoding = c.u8();
                    personality = PointerEncoding.read(c, encoding, bases);
                } else if (a == 'S') {
                    signalFrame = true;
                } else if (a == 'B') {
                    continue; // AArch64 BTI; nothing to read
                } else {
                    break; // unknown: the length lets us skip the rest
                }
            }
            c.seek(augEnd);
        } else if (!augmentation.isEmpty() && !augmentation.equals("eh")) {
            throw new DwarfException(name() + ": CIE at 0x" + Long.toHexString(offset)
                    + " has augmentation \"" + augmentation + "\" without 'z'; its FDEs cannot be read");
        }
        ByteBuffer instructions = slice(c, end);
        return new Cie(offset, version, augmentation, codeAlignment, dataAlignment, returnAddress, fdeEncoding,
                lsdaEncoding, personality, signalFrame, z, addressSize, instructions);
    }

    private ByteBuffer slice(DwarfCursor c, long end) {
        int n = (int) (end - c.position());
        if (n < 0) {
            throw new DwarfException(name() + ": entry header runs past its length");
        }
        return c.slice(n);
    }

    private String name() {
        return eh ? ".eh_frame" : ".debug_frame";
    }
}
