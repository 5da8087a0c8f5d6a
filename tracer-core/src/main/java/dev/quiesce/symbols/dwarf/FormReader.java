package dev.quiesce.symbols.dwarf;

/**
 * Skips and decodes attribute values by form (DWARF 5 section 7.5.5). Decoded values are:
 * {@code String} for string forms (strp, line_strp, strx* resolved through the unit's
 * DW_AT_str_offsets_base), {@code Long} for addresses (addrx* resolved through DW_AT_addr_base),
 * constants, flags, section offsets, list indexes (rnglistx/loclistx stay indexes) and references
 * (made absolute .debug_info offsets, except ref_sig8 which stays the type signature, and the
 * supplementary-file forms, which stay raw offsets), {@code byte[]} for blocks, exprloc and data16.
 */
final class FormReader {
    private FormReader() {
    }

    static void skip(DwarfCursor c, int form, UnitHeader h) {
        switch (form) {
            case DwForm.ADDR -> c.skip(h.addressSize());
            case DwForm.DATA1, DwForm.REF1, DwForm.FLAG, DwForm.STRX1, DwForm.ADDRX1 -> c.skip(1);
            case DwForm.DATA2, DwForm.REF2, DwForm.STRX2, DwForm.ADDRX2 -> c.skip(2);
            case DwForm.STRX3, DwForm.ADDRX3 -> c.skip(3);
            case DwForm.DATA4, DwForm.REF4, DwForm.STRX4, DwForm.ADDRX4, DwForm.REF_SUP4 -> c.skip(4);
            case DwForm.DATA8, DwForm.REF8, DwForm.REF_SIG8, DwForm.REF_SUP8 -> c.skip(8);
            case DwForm.DATA16 -> c.skip(16);
            case DwForm.SDATA -> c.sleb();
            case DwForm.UDATA, DwForm.REF_UDATA, DwForm.STRX, DwForm.ADDRX, DwForm.LOCLISTX, DwForm.RNGLISTX,
                    DwForm.GNU_ADDR_INDEX, DwForm.GNU_STR_INDEX -> c.uleb();
            case DwForm.STRP, DwForm.LINE_STRP, DwForm.SEC_OFFSET, DwForm.STRP_SUP, DwForm.GNU_REF_ALT,
                    DwForm.GNU_STRP_ALT -> c.skip(h.offsetSize());
            case DwForm.REF_ADDR -> c.skip(h.version() <= 2 ? h.addressSize() : h.offsetSize());
            case DwForm.STRING -> {
                while (c.u8() != 0) {
                    // skip to the NUL
                }
            }
            case DwForm.BLOCK1 -> c.skip(c.u8());
            case DwForm.BLOCK2 -> c.skip(c.u16());
            case DwForm.BLOCK4 -> c.skip(c.u32());
            case DwForm.BLOCK, DwForm.EXPRLOC -> c.skip(c.uleb());
            case DwForm.FLAG_PRESENT, DwForm.IMPLICIT_CONST -> {
            }
            case DwForm.INDIRECT -> skip(c, (int) c.uleb(), h);
            default -> throw new DwarfException("unknown form 0x" + Integer.toHexString(form) + " at 0x"
                    + Integer.toHexString(c.position()));
        }
    }

    /** Decodes one value; {@code form} is the abbreviation's form (DW_FORM_indirect is followed here). */
    static Object read(DwarfCursor c, int form, long implicitConst, Unit u) {
        UnitHeader h = u.header();
        return switch (form) {
            case DwForm.ADDR -> c.unsigned(h.addressSize());
            case DwForm.DATA1, DwForm.FLAG -> (long) c.u8();
            case DwForm.DATA2 -> (long) c.u16();
            case DwForm.DATA4 -> c.u32();
            case DwForm.DATA8, DwForm.REF_SIG8 -> c.u64();
            case DwForm.DATA16 -> c.bytes(16);
            case DwForm.SDATA -> c.sleb();
            case DwForm.UDATA, DwForm.LOCLISTX, DwForm.RNGLISTX -> c.uleb();
            case DwForm.IMPLICIT_CONST -> implicitConst;
            case DwForm.FLAG_PRESENT -> 1L;
            case DwForm.REF1 -> h.offset() + c.u8();
            case DwForm.REF2 -> h.offset() + c.u16();
            case DwForm.REF4 -> h.offset() + c.u32();
            case DwForm.REF8 -> h.offset() + c.u64();
            case DwForm.REF_UDATA -> h.offset() + c.uleb();
            case DwForm.REF_ADDR -> c.unsigned(h.version() <= 2 ? h.addressSize() : h.offsetSize());
            case DwForm.SEC_OFFSET, DwForm.STRP_SUP, DwForm.GNU_REF_ALT, DwForm.GNU_STRP_ALT -> c.offset(h.dwarf64());
            case DwForm.REF_SUP4 -> c.u32();
            case DwForm.REF_SUP8 -> c.u64();
            case DwForm.STRING -> c.cstring();
            case DwForm.STRP -> u.string(c.offset(h.dwarf64()));
            case DwForm.LINE_STRP -> u.lineString(c.offset(h.dwarf64()));
            case DwForm.STRX, DwForm.GNU_STR_INDEX -> u.indexedString(c.uleb());
            case DwForm.STRX1 -> u.indexedString(c.u8());
            case DwForm.STRX2 -> u.indexedString(c.u16());
            case DwForm.STRX3 -> u.indexedString(c.u24());
            case DwForm.STRX4 -> u.indexedString(c.u32());
            case DwForm.ADDRX, DwForm.GNU_ADDR_INDEX -> u.indexedAddress(c.uleb());
            case DwForm.ADDRX1 -> u.indexedAddress(c.u8());
            case DwForm.ADDRX2 -> u.indexedAddress(c.u16());
            case DwForm.ADDRX3 -> u.indexedAddress(c.u24());
            case DwForm.ADDRX4 -> u.indexedAddress(c.u32());
            case DwForm.BLOCK1 -> c.bytes(c.u8());
            case DwForm.BLOCK2 -> c.bytes(c.u16());
            case DwForm.BLOCK4 -> c.bytes((int) c.u32());
            case DwForm.BLOCK, DwForm.EXPRLOC -> c.bytes((int) c.uleb());
            case DwForm.INDIRECT -> read(c, (int) c.uleb(), implicitConst, u);
            default -> throw new DwarfException("unknown form 0x" + Integer.toHexString(form));
        };
    }

    /** The actual form of a value at {@code pos} whose abbreviation says {@code form} (resolves DW_FORM_indirect). */
    static int actualForm(DwarfCursor c, int pos, int form) {
        while (form == DwForm.INDIRECT) {
            form = (int) c.seek(pos).uleb();
            pos = c.position();
        }
        return form;
    }
}
