package dev.quiesce.values;

import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Die;
import java.util.List;

/**
 * Whether a C++ class goes by invisible reference when passed or returned by value (Itanium
 * C++ ABI 3.1.1: a class that is not trivial for the purposes of calls, i.e. it has a
 * non-trivial copy or move constructor or destructor). DW_AT_calling_convention says so where
 * the compiler writes it (clang); gcc 12 does not, so it is derived as the ABI defines it from
 * what the DWARF declares: a user-declared destructor, copy or move constructor, a virtual
 * function or base (the copy constructor of a dynamic class is not trivial), or a base or
 * data member of such a class.
 */
final class CallingConvention {
    private static final int AT_CALLING_CONVENTION = 0x36;
    private static final int DW_CC_PASS_BY_REFERENCE = 4;
    private static final int DW_CC_PASS_BY_VALUE = 5;
    private static final int AT_ARTIFICIAL = 0x34;
    private static final int AT_VIRTUALITY = 0x4c;
    private static final int AT_DEFAULTED = 0x8b;
    private static final int DW_DEFAULTED_IN_CLASS = 1;

    private CallingConvention() {
    }

    /** {@code members}: the class's data members and bases as already read (their types know theirs). */
    static boolean byReference(DebugInfo info, Die cls, String name, List<Member> members) {
        long cc = cls.unsigned(AT_CALLING_CONVENTION, 0);
        if (cc == DW_CC_PASS_BY_REFERENCE) {
            return true;
        }
        if (cc == DW_CC_PASS_BY_VALUE) {
            return false;
        }
        for (Die c : cls.children()) {
            if (c.tag() == Dw.TAG_INHERITANCE && c.unsigned(AT_VIRTUALITY, 0) != 0) {
                return true;
            }
            if (c.tag() != Dw.TAG_SUBPROGRAM) {
                continue;
            }
            if (c.unsigned(AT_VIRTUALITY, 0) != 0) {
                return true;
            }
            if (flag(c, AT_ARTIFICIAL) || c.unsigned(AT_DEFAULTED, 0) == DW_DEFAULTED_IN_CLASS) {
                continue; // implicit, or "= default" in the class: trivial unless a member makes it not
            }
            String n = c.string(Dw.AT_NAME);
            if (n != null && n.startsWith("~") || n != null && name != null && n.equals(simple(name)) && copyOrMove(info, c)) {
                return true;
            }
        }
        for (Member m : members) {
            if (!m.isStatic() && elementOf(m.type()).byReference()) {
                return true;
            }
        }
        return false;
    }

    /** A constructor whose one explicit parameter is a reference (to its own class: the only kind one can declare so). */
    private static boolean copyOrMove(DebugInfo info, Die ctor) {
        int explicit = 0;
        boolean reference = false;
        for (Die p : ctor.children()) {
            if (p.tag() != Dw.TAG_FORMAL_PARAMETER || flag(p, AT_ARTIFICIAL)) {
                continue;
            }
            explicit++;
            reference = explicit == 1 && p.has(Dw.AT_TYPE) && isReference(info.die(p.reference(Dw.AT_TYPE)));
        }
        return explicit == 1 && reference;
    }

    private static boolean isReference(Die t) {
        return t != null && (t.tag() == Dw.TAG_REFERENCE_TYPE || t.tag() == Dw.TAG_RVALUE_REFERENCE_TYPE);
    }

    private static Type elementOf(Type t) {
        Type s = t.strip();
        for (int i = 0; i < 8 && s.kind() == Type.Kind.ARRAY && s.target() != null; i++) {
            s = s.target().strip();
        }
        return s;
    }

    private static boolean flag(Die d, int attribute) {
        Object v = d.value(attribute);
        return v != null && !Boolean.FALSE.equals(v);
    }

    private static String simple(String name) {
        String n = name.startsWith("class ") ? name.substring(6) : name.startsWith("struct ") ? name.substring(7) : name;
        int lt = n.indexOf('<');
        String head = lt < 0 ? n : n.substring(0, lt);
        int cut = head.lastIndexOf("::");
        return cut < 0 ? head : head.substring(cut + 2);
    }
}
