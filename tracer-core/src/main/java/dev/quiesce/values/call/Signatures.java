package dev.quiesce.values.call;

import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Die;
import dev.quiesce.values.Type;
import dev.quiesce.values.TypeReader;
import java.util.ArrayList;
import java.util.List;

/** A subprogram DIE's return type and parameters, following the concrete DIE to its declaration. */
record Signatures(Type returnType, List<Type> parameters, boolean anyArguments) {
    static final int TAG_FORMAL_PARAMETER = 0x05;
    static final int TAG_UNSPECIFIED_PARAMETERS = 0x18;
    static final int TAG_SUBPROGRAM = 0x2e;
    static final int TAG_INHERITANCE = 0x1c;
    static final int AT_TYPE = 0x49;
    static final int AT_PROTOTYPED = 0x27;
    static final int AT_ARTIFICIAL = 0x34;
    static final int AT_SPECIFICATION = 0x47;
    static final int AT_ABSTRACT_ORIGIN = 0x31;
    static final int AT_LINKAGE_NAME = 0x6e;
    static final int AT_MIPS_LINKAGE_NAME = 0x2007;
    static final int AT_VIRTUALITY = 0x4c;
    static final int AT_VTABLE_ELEM_LOCATION = 0x4d;
    static final int AT_DATA_MEMBER_LOCATION = 0x38;
    static final int AT_DECLARATION = 0x3c;
    private static final int LANG_C89 = 0x1;
    private static final int LANG_C = 0x2;
    private static final int LANG_C99 = 0xc;
    private static final int LANG_C11 = 0x1d;
    private static final int LANG_C17 = 0x2c;

    /** The signature of a subprogram (concrete or declaration), artificial parameters ({@code this}) left out. */
    static Signatures of(DebugInfo info, TypeReader types, Die subprogram) {
        Die d = subprogram;
        Die declaration = null;
        for (int hops = 0; hops < 4; hops++) { // concrete → abstract origin → specification
            long next = d.has(AT_SPECIFICATION) ? d.reference(AT_SPECIFICATION) : d.reference(AT_ABSTRACT_ORIGIN);
            if (next < 0) {
                break;
            }
            d = info.die(next);
            declaration = d;
        }
        Die typed = subprogram.has(AT_TYPE) ? subprogram : declaration != null && declaration.has(AT_TYPE) ? declaration : subprogram;
        Type ret = typed.has(AT_TYPE) ? types.type(typed.reference(AT_TYPE)) : Type.VOID;
        Die withParameters = hasParameters(subprogram) || declaration == null ? subprogram : declaration;
        List<Type> params = new ArrayList<>();
        boolean any = false;
        for (Die c : withParameters.children()) {
            if (c.tag() == TAG_FORMAL_PARAMETER) {
                Die p = c;
                if (!p.has(AT_TYPE) && p.reference(AT_ABSTRACT_ORIGIN) >= 0) {
                    p = info.die(p.reference(AT_ABSTRACT_ORIGIN));
                }
                if (p.value(AT_ARTIFICIAL) != null && !Boolean.FALSE.equals(p.value(AT_ARTIFICIAL))) {
                    continue;
                }
                params.add(types.type(p.reference(AT_TYPE)));
            } else if (c.tag() == TAG_UNSPECIFIED_PARAMETERS) {
                any = true;
            }
        }
        Die root = declaration != null ? declaration : subprogram;
        boolean c = isC(subprogram.unit().language());
        if (c && root.value(AT_PROTOTYPED) == null && subprogram.value(AT_PROTOTYPED) == null) {
            any = true; // K&R C: no prototype, any arguments with the default promotions
        }
        return new Signatures(ret, params, any);
    }

    private static boolean hasParameters(Die d) {
        for (Die c : d.children()) {
            if (c.tag() == TAG_FORMAL_PARAMETER || c.tag() == TAG_UNSPECIFIED_PARAMETERS) {
                return true;
            }
        }
        return false;
    }

    private static boolean isC(int language) {
        return language == LANG_C89 || language == LANG_C || language == LANG_C99 || language == LANG_C11 || language == LANG_C17;
    }
}
