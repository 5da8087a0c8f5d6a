package dev.quiesce.engine;

import dev.quiesce.linux.Registers;

/**
 * The x86-64 instructions a page trap can perform for the program instead of letting it run
 * them: {@code mov} between a general register (or an immediate) and memory, and the
 * zero/sign-extending loads ({@code movzx}, {@code movsx}, {@code movsxd}). Every other
 * instruction (read-modify-write, {@code lock}, string, vector) is not decoded here: the trap
 * single-steps it instead. A small decoder of our own, because this runs on every fault of a
 * watched page and must cost nanoseconds (Capstone through JNA would cost more than the fault).
 *
 * @param length   the instruction's length in bytes
 * @param size     the memory operand's size: 1, 2, 4 or 8
 * @param store    true: register/immediate to memory; false: memory to register
 * @param register the general register (0 rax ... 15 r15) read by a store or written by a load; -1 for an immediate
 * @param highByte the register is ah/ch/dh/bh (8-bit operand, no REX prefix)
 * @param immediate the value a store of an immediate writes (sign-extended to {@code size})
 * @param destSize a load's destination size in bytes (4 zero-extends to 64 bits, as the CPU does)
 * @param signExtend a load that sign-extends (movsx, movsxd)
 */
record MemoryAccess(int length, int size, boolean store, int register, boolean highByte, long immediate,
        int destSize, boolean signExtend, Operand memory) {

    /** A memory operand: segment base (fs/gs) + base + index * scale + displacement; rip-relative uses the next pc. */
    record Operand(int segment, int base, int index, int scale, long displacement, boolean ripRelative) {
        static final int NONE = -1;
        static final int FS = 1;
        static final int GS = 2;

        long address(Registers regs, long pc, int instructionLength) {
            long a = displacement;
            if (ripRelative) {
                a += pc + instructionLength;
            }
            if (base != NONE) {
                a += gpr(regs, base);
            }
            if (index != NONE) {
                a += gpr(regs, index) * scale;
            }
            if (segment == FS) {
                a += regs.fsBase();
            } else if (segment == GS) {
                a += regs.get(22);
            }
            return a;
        }
    }

    /** user_regs_struct word index of general register n (the encoding's 0 rax ... 15 r15). */
    private static final int[] USER_REGS = {10, 11, 12, 5, 19, 4, 13, 14, 9, 8, 7, 6, 3, 2, 1, 0};

    static int userRegsIndex(int register) {
        return USER_REGS[register];
    }

    static long gpr(Registers regs, int register) {
        return regs.get(USER_REGS[register]);
    }

    long address(Registers regs) {
        return memory.address(regs, regs.rip(), length);
    }

    /** The bytes a store writes, little-endian. */
    byte[] storedBytes(Registers regs) {
        long v;
        if (register < 0) {
            v = immediate;
        } else {
            v = gpr(regs, register);
            if (highByte) {
                v >>>= 8;
            }
        }
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (v >>> (8 * i));
        }
        return out;
    }

    /** The registers after a load of these little-endian bytes (pc not moved). */
    Registers loaded(Registers regs, byte[] bytes) {
        long v = 0;
        for (int i = 0; i < size; i++) {
            v |= (bytes[i] & 0xffL) << (8 * i);
        }
        if (signExtend && size < 8) {
            int shift = 64 - 8 * size;
            v = (v << shift) >> shift;
        }
        int index = USER_REGS[register];
        long old = regs.get(index);
        long now = switch (destSize) {
            case 1 -> highByte ? (old & ~0xff00L) | ((v & 0xff) << 8) : (old & ~0xffL) | (v & 0xff);
            case 2 -> (old & ~0xffffL) | (v & 0xffff);
            case 4 -> v & 0xffffffffL; // a 32-bit destination clears the upper half
            default -> v;
        };
        return regs.with(index, now);
    }

    /** Decodes the instruction at the start of {@code code}; null if it is none of ours (or truncated). */
    static MemoryAccess decode(byte[] code) {
        int i = 0;
        boolean opsize = false;
        int segment = Operand.NONE;
        int rex = 0;
        // legacy prefixes: only 66 and fs/gs; lock, rep, address size and others are not ours
        while (i < code.length) {
            int b = code[i] & 0xff;
            if (b == 0x66) {
                opsize = true;
            } else if (b == 0x64) {
                segment = Operand.FS;
            } else if (b == 0x65) {
                segment = Operand.GS;
            } else if (b == 0x2e || b == 0x3e || b == 0x26 || b == 0x36) {
                // null segment overrides in 64-bit mode
            } else {
                break;
            }
            i++;
        }
        if (i < code.length && (code[i] & 0xf0) == 0x40) {
            rex = code[i] & 0xff;
            i++;
        }
        if (i >= code.length) {
            return null;
        }
        boolean w = (rex & 8) != 0;
        int wide = w ? 8 : opsize ? 2 : 4;
        int op = code[i++] & 0xff;
        int size;
        boolean store;
        int destSize = 0;
        boolean signExtend = false;
        boolean immediate = false;
        switch (op) {
            case 0x88 -> { size = 1; store = true; }
            case 0x89 -> { size = wide; store = true; }
            case 0xc6 -> { size = 1; store = true; immediate = true; }
            case 0xc7 -> { size = wide; store = true; immediate = true; }
            case 0x8a -> { size = 1; store = false; destSize = 1; }
            case 0x8b -> { size = wide; store = false; destSize = wide; }
            case 0x63 -> {
                if (!w) {
                    return null; // movsxd without REX.W is a plain 32-bit move: rare, not ours
                }
                size = 4; store = false; destSize = 8; signExtend = true;
            }
            case 0x0f -> {
                if (i >= code.length) {
                    return null;
                }
                int op2 = code[i++] & 0xff;
                switch (op2) {
                    case 0xb6, 0xbe -> size = 1;
                    case 0xb7, 0xbf -> size = 2;
                    default -> {
                        return null;
                    }
                }
                store = false;
                destSize = wide;
                signExtend = op2 >= 0xbe;
            }
            default -> {
                return null;
            }
        }
        if (i >= code.length) {
            return null;
        }
        int modrm = code[i++] & 0xff;
        int mod = modrm >> 6;
        int reg = ((modrm >> 3) & 7) | ((rex & 4) << 1);
        int rm = modrm & 7;
        if (mod == 3 || (immediate && (modrm & 0x38) != 0)) {
            return null; // a register operand (no memory), or not mov's /0
        }
        int base = Operand.NONE;
        int index = Operand.NONE;
        int scale = 1;
        boolean ripRelative = false;
        if (rm == 4) {
            if (i >= code.length) {
                return null;
            }
            int sib = code[i++] & 0xff;
            scale = 1 << (sib >> 6);
            int idx = ((sib >> 3) & 7) | ((rex & 2) << 2);
            index = idx == 4 ? Operand.NONE : idx;
            int b = sib & 7;
            base = (b == 5 && mod == 0) ? Operand.NONE : b | ((rex & 1) << 3);
        } else if (rm == 5 && mod == 0) {
            ripRelative = true;
        } else {
            base = rm | ((rex & 1) << 3);
        }
        int dispBytes = mod == 1 ? 1 : mod == 2 || ripRelative || (rm == 4 && base == Operand.NONE) ? 4 : 0;
        if (i + dispBytes > code.length) {
            return null;
        }
        long disp = signed(code, i, dispBytes);
        i += dispBytes;
        long imm = 0;
        if (immediate) {
            int immBytes = Math.min(size, 4);
            if (i + immBytes > code.length) {
                return null;
            }
            imm = signed(code, i, immBytes);
            i += immBytes;
        }
        // ah/ch/dh/bh: registers 4-7 of an 8-bit operand without REX
        boolean high = (size == 1 && destSize <= 1) && rex == 0 && !immediate && reg >= 4 && reg < 8;
        int register = immediate ? -1 : high ? reg - 4 : reg;
        return new MemoryAccess(i, size, store, register, high, imm, destSize, signExtend,
                new Operand(segment, base, index, scale, disp, ripRelative));
    }

    /**
     * How many bytes from the fault address an instruction {@link #decode} does not know is taken
     * to access (stepped, not performed): its operand size as the prefixes and the opcode's byte
     * form say, 8 for an indirect call/jmp/push, 64 for anything 0F-, VEX- or EVEX-encoded
     * (vector). An upper bound where unsure: a read watch may stop for a neighbour's access, never
     * miss its own.
     */
    static int widthOf(byte[] code) {
        int i = 0;
        boolean opsize = false;
        while (i < code.length && isLegacyPrefix(code[i] & 0xff)) {
            opsize |= (code[i] & 0xff) == 0x66;
            i++;
        }
        boolean w = false;
        if (i < code.length && (code[i] & 0xf0) == 0x40) {
            w = (code[i] & 8) != 0;
            i++;
        }
        if (i >= code.length) {
            return 64;
        }
        int op = code[i] & 0xff;
        if (op == 0x0f || op == 0xc4 || op == 0xc5 || op == 0x62) {
            return 64;
        }
        if (op == 0xff) {
            return 8; // inc/dec/call/jmp/push r/m: 8 at most
        }
        boolean byteForm = (op < 0x40 && (op & 7) <= 2 && (op & 1) == 0) || op == 0x80 || op == 0x86 || op == 0xc0 || op == 0xd0
                || op == 0xd2 || op == 0xf6 || op == 0xfe || (op >= 0xa4 && op <= 0xae && (op & 1) == 0);
        return byteForm ? 1 : w ? 8 : opsize ? 2 : 4;
    }

    private static boolean isLegacyPrefix(int b) {
        return b == 0x66 || b == 0x67 || b == 0xf0 || b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x36 || b == 0x3e
                || b == 0x26 || b == 0x64 || b == 0x65;
    }

    private static long signed(byte[] code, int at, int n) {
        if (n == 0) {
            return 0;
        }
        long v = 0;
        for (int k = 0; k < n; k++) {
            v |= (code[at + k] & 0xffL) << (8 * k);
        }
        int shift = 64 - 8 * n;
        return (v << shift) >> shift;
    }
}
