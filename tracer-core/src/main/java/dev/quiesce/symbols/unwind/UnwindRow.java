package dev.quiesce.symbols.unwind;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One row of the call frame table (DWARF 5 §6.4.1): from {@code location} on, the CFA rule and
 * the rules of the registers that have one. Registers without a rule are {@link #rule unspecified}.
 */
public record UnwindRow(long location, CfaRule cfa, Map<Integer, RegisterRule> registers, Fde fde) {

    public UnwindRow {
        registers = Collections.unmodifiableMap(new TreeMap<>(registers));
    }

    /** The rule for a register, or null when the CFI says nothing about it. */
    public RegisterRule rule(int register) {
        return registers.get(register);
    }

    public int returnAddressRegister() {
        return fde.cie().returnAddressRegister();
    }

    /** The CIE has the S augmentation: this frame is a signal trampoline. */
    public boolean signalFrame() {
        return fde.cie().signalFrame();
    }
}
