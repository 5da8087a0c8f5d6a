package dev.quiesce.symbols.unwind;

import dev.quiesce.linux.Registers;

/** DWARF register numbers of x86-64 (psABI §3.6.2, figure 3.36) and their ptrace counterparts. */
public final class Dwarf86Registers {
    public static final int RAX = 0;
    public static final int RDX = 1;
    public static final int RCX = 2;
    public static final int RBX = 3;
    public static final int RSI = 4;
    public static final int RDI = 5;
    public static final int RBP = 6;
    public static final int RSP = 7;
    public static final int R8 = 8;
    public static final int R15 = 15;
    /** The return address column: the caller's rip. */
    public static final int RA = 16;
    /** Registers 0..16 are the ones the unwinder tracks. */
    public static final int COUNT = 17;

    private static final String[] NAMES = {
        "rax", "rdx", "rcx", "rbx", "rsi", "rdi", "rbp", "rsp",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15", "rip"};

    /** Index into user_regs_struct (see {@link Registers#NAMES}) of DWARF registers 0..16. */
    private static final int[] PTRACE_INDEX = {10, 12, 11, 5, 13, 14, 4, 19, 9, 8, 7, 6, 3, 2, 1, 0, 16};

    private Dwarf86Registers() {
    }

    public static String name(int dwarf) {
        return dwarf >= 0 && dwarf < NAMES.length ? NAMES[dwarf] : "r" + dwarf;
    }

    public static int ptraceIndex(int dwarf) {
        return PTRACE_INDEX[dwarf];
    }
}
