package dev.quiesce.symbols.dwarf;

/** DW_TAG_* values used by this reader (DWARF 5 section 7.5.3, table 7.3). */
public final class DwTag {
    private DwTag() {
    }

    public static final int ARRAY_TYPE = 0x01;
    public static final int CLASS_TYPE = 0x02;
    public static final int ENUMERATION_TYPE = 0x04;
    public static final int FORMAL_PARAMETER = 0x05;
    public static final int LEXICAL_BLOCK = 0x0b;
    public static final int MEMBER = 0x0d;
    public static final int POINTER_TYPE = 0x0f;
    public static final int COMPILE_UNIT = 0x11;
    public static final int STRUCTURE_TYPE = 0x13;
    public static final int TYPEDEF = 0x16;
    public static final int UNION_TYPE = 0x17;
    public static final int UNSPECIFIED_PARAMETERS = 0x18;
    public static final int INLINED_SUBROUTINE = 0x1d;
    public static final int BASE_TYPE = 0x24;
    public static final int SUBPROGRAM = 0x2e;
    public static final int VARIABLE = 0x34;
    public static final int NAMESPACE = 0x39;
    public static final int PARTIAL_UNIT = 0x3c;
    public static final int TYPE_UNIT = 0x41;
    public static final int SKELETON_UNIT = 0x4a;
    public static final int CALL_SITE = 0x48;
}
