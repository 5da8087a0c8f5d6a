package dev.quiesce.symbols.unwind;

/**
 * The x86-64 Linux signal return trampoline (glibc's __restore_rt) recognised by its bytes, and
 * the registers the kernel saved in the rt_sigframe below it, for when it has no CFI. When the
 * handler returns into the trampoline, rsp points at the frame's {@code struct ucontext} (the
 * return address pretcode has been popped); {@code uc_mcontext} (struct sigcontext) is 40 bytes
 * in, after uc_flags, uc_link and uc_stack (arch/x86/include/uapi/asm/sigcontext.h, ucontext.h).
 */
final class SignalTrampoline {
    /** mov $15,%rax (rt_sigreturn); syscall. */
    private static final byte[] CODE = {0x48, (byte) 0xc7, (byte) 0xc0, 0x0f, 0x00, 0x00, 0x00, 0x0f, 0x05};
    private static final int MCONTEXT = 40;
    /** struct sigcontext offsets, by DWARF register number (rax..r15, then rip). */
    private static final int[] SIGCONTEXT_OFFSET = {
        104, 96, 112, 88, 72, 64, 80, 120, // rax rdx rcx rbx rsi rdi rbp rsp
        0, 8, 16, 24, 32, 40, 48, 56,      // r8..r15
        128};                              // rip

    private SignalTrampoline() {
    }

    static boolean isAt(MemoryReader memory, long pc) {
        byte[] code = new byte[CODE.length];
        if (memory.read(pc, code) < code.length) {
            return false;
        }
        return java.util.Arrays.equals(code, CODE);
    }

    /** The interrupted context's registers, from the sigcontext at rsp + 40. */
    static RegisterSet interruptedRegisters(MemoryReader memory, long rsp) {
        long base = rsp + MCONTEXT;
        RegisterSet regs = RegisterSet.empty();
        for (int r = 0; r < SIGCONTEXT_OFFSET.length; r++) {
            regs = regs.with(r, memory.readLong(base + SIGCONTEXT_OFFSET[r]));
        }
        return regs;
    }
}
