package dev.quiesce.symbols.unwind;

import dev.quiesce.linux.Registers;
import java.util.Arrays;

/**
 * The values of x86-64 DWARF registers 0..16 (rax..r15 and the return address/rip) in one frame,
 * each either known or not. Immutable.
 */
public final class RegisterSet {
    private final long[] values;
    private final int known; // bit r set when register r is known

    private RegisterSet(long[] values, int known) {
        this.values = values;
        this.known = known;
    }

    public static RegisterSet empty() {
        return new RegisterSet(new long[Dwarf86Registers.COUNT], 0);
    }

    /** A stopped thread's registers, all known. */
    public static RegisterSet of(Registers registers) {
        long[] v = new long[Dwarf86Registers.COUNT];
        for (int r = 0; r < v.length; r++) {
            v[r] = registers.get(Dwarf86Registers.ptraceIndex(r));
        }
        return new RegisterSet(v, (1 << Dwarf86Registers.COUNT) - 1);
    }

    public boolean has(int register) {
        return register >= 0 && register < Dwarf86Registers.COUNT && (known & (1 << register)) != 0;
    }

    /** The value of a known register; throws when it is unknown. */
    public long get(int register) {
        if (!has(register)) {
            throw new UnwindException("register " + Dwarf86Registers.name(register) + " is not known in this frame");
        }
        return values[register];
    }

    public RegisterSet with(int register, long value) {
        long[] v = values.clone();
        v[register] = value;
        return new RegisterSet(v, known | (1 << register));
    }

    public RegisterSet without(int register) {
        return new RegisterSet(values, known & ~(1 << register));
    }

    public long pc() {
        return get(Dwarf86Registers.RA);
    }

    public long sp() {
        return get(Dwarf86Registers.RSP);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (int r = 0; r < values.length; r++) {
            if (has(r)) {
                b.append(b.length() > 1 ? ", " : "").append(Dwarf86Registers.name(r)).append("=0x")
                        .append(Long.toHexString(values[r]));
            }
        }
        return b.append('}').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegisterSet r && r.known == known && Arrays.equals(r.values, values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values) * 31 + known;
    }
}
