package dev.quiesce.symbols.dwarf;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The abbreviations of one unit, parsed from an offset of {@code .debug_abbrev}. */
public final class AbbrevTable {
    private final Abbreviation[] dense;
    private final Map<Long, Abbreviation> sparse;

    private AbbrevTable(Abbreviation[] dense, Map<Long, Abbreviation> sparse) {
        this.dense = dense;
        this.sparse = sparse;
    }

    public static AbbrevTable parse(ByteBuffer abbrev, long offset) {
        DwarfCursor c = new DwarfCursor(abbrev).seek(offset);
        List<Abbreviation> list = new ArrayList<>();
        long maxCode = 0;
        while (!c.atEnd()) { // every declaration and attribute spec reads bytes: the section's end ends both loops
            long code = c.uleb();
            if (code == 0) {
                break;
            }
            int tag = (int) c.uleb();
            boolean children = c.u8() != 0;
            List<long[]> specs = new ArrayList<>();
            while (true) {
                int at = (int) c.uleb();
                int form = (int) c.uleb();
                if (at == 0 && form == 0) {
                    break;
                }
                long implicit = form == DwForm.IMPLICIT_CONST ? c.sleb() : 0;
                specs.add(new long[] {at, form, implicit});
            }
            int n = specs.size();
            int[] ats = new int[n];
            int[] forms = new int[n];
            long[] consts = new long[n];
            for (int i = 0; i < n; i++) {
                ats[i] = (int) specs.get(i)[0];
                forms[i] = (int) specs.get(i)[1];
                consts[i] = specs.get(i)[2];
            }
            list.add(new Abbreviation(code, tag, children, ats, forms, consts));
            maxCode = Math.max(maxCode, code);
        }
        if (maxCode <= list.size() * 2L + 16) {
            Abbreviation[] dense = new Abbreviation[(int) maxCode + 1];
            for (Abbreviation a : list) {
                dense[(int) a.code()] = a;
            }
            return new AbbrevTable(dense, null);
        }
        Map<Long, Abbreviation> sparse = new HashMap<>();
        for (Abbreviation a : list) {
            sparse.put(a.code(), a);
        }
        return new AbbrevTable(null, sparse);
    }

    public Abbreviation get(long code) {
        Abbreviation a = null;
        if (dense != null) {
            if (code > 0 && code < dense.length) {
                a = dense[(int) code];
            }
        } else {
            a = sparse.get(code);
        }
        if (a == null) {
            throw new DwarfException("unknown abbreviation code " + code);
        }
        return a;
    }
}
