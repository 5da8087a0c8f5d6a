package dev.quiesce.values.expr;

/** DW_AT_language values the evaluator cares about (DWARF 5 section 7.12). */
final class Languages {
    private Languages() {
    }

    /** DW_LANG_C_plus_plus, C_plus_plus_03, _11, _14. */
    static boolean isCxx(int language) {
        return language == 0x4 || language == 0x19 || language == 0x1a || language == 0x21;
    }

    /** DW_LANG_Rust. */
    static boolean isRust(int language) {
        return language == 0x1c;
    }
}
