package dev.quiesce.symbols.dwarf;

import java.util.Map;

/**
 * Names of subprograms, following DW_AT_specification and DW_AT_abstract_origin (sections 2.13.2,
 * 3.3.8) to the DIE that carries them. Qualified C++ names come from the namespace/class nesting
 * recorded while scanning (a DIE has no parent pointer).
 */
final class NameResolver {
    private static final int MAX_HOPS = 8;
    private final DebugInfo info;
    private final Map<Long, String> qualifiedNames;

    NameResolver(DebugInfo info, Map<Long, String> qualifiedNames) {
        this.info = info;
        this.qualifiedNames = qualifiedNames;
    }

    record Names(String name, String qualifiedName, String linkageName, int declFile, int declLine,
                 long typeOffset) {
    }

    Names resolve(Die d) {
        String name = null;
        String qualified = null;
        String linkage = null;
        int declFile = 0;
        int declLine = 0;
        long type = -1;
        Die cur = d;
        for (int hop = 0; cur != null && hop < MAX_HOPS; hop++) {
            if (name == null) {
                name = cur.name();
            }
            if (qualified == null) {
                qualified = qualifiedNames.get(cur.offset());
            }
            if (linkage == null) {
                linkage = cur.string(DwAt.LINKAGE_NAME);
                if (linkage == null) {
                    linkage = cur.string(DwAt.MIPS_LINKAGE_NAME);
                }
            }
            if (declLine == 0 && cur.has(DwAt.DECL_LINE)) {
                declLine = (int) cur.unsigned(DwAt.DECL_LINE, 0);
                declFile = (int) cur.unsigned(DwAt.DECL_FILE, 0);
            }
            if (type < 0) {
                type = cur.reference(DwAt.TYPE);
            }
            long next = cur.reference(DwAt.ABSTRACT_ORIGIN);
            if (next < 0) {
                next = cur.reference(DwAt.SPECIFICATION);
            }
            cur = next < 0 ? null : info.die(next);
        }
        return new Names(name, qualified != null ? qualified : name, linkage, declFile, declLine, type);
    }
}
