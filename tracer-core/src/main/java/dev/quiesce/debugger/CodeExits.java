package dev.quiesce.debugger;

import dev.quiesce.disasm.Capstone;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Where control can leave a range of code, from its instructions: targets of direct jumps out of
 * the range, the address just past it (fall-through), returns (their target is on the stack when
 * they run), and the instructions whose way out is not known statically (indirect jumps, ud2),
 * which a step plan single-steps. Calls stay in the range (the callee returns to it);
 * {@link #calls} lists them for stepping in.
 */
record CodeExits(TreeSet<Long> targets, List<Long> returns, List<Long> opaque, List<Long> calls) {

    static CodeExits of(byte[] code, long low, long high) {
        TreeSet<Long> targets = new TreeSet<>(Long::compareUnsigned);
        List<Long> returns = new ArrayList<>();
        List<Long> opaque = new ArrayList<>();
        List<Long> calls = new ArrayList<>();
        targets.add(high);
        for (Capstone.Instruction insn : Capstone.disassemble(code, low, 0)) {
            String m = mnemonic(insn);
            if (m.startsWith("call")) {
                calls.add(insn.address());
            } else if (m.startsWith("ret")) {
                returns.add(insn.address());
            } else if (m.equals("iretq") || m.equals("sysret")) {
                opaque.add(insn.address());
            } else if (m.startsWith("j") || m.startsWith("loop")) {
                long target = directTarget(insn.operands());
                if (target < 0) {
                    opaque.add(insn.address()); // jmp *%rax, jmp *0x10(%rip): known only when run
                } else if (target < low || target >= high) {
                    targets.add(target);
                }
            } else if (m.equals("ud2") || m.equals("hlt")) {
                opaque.add(insn.address());
            }
        }
        return new CodeExits(targets, returns, opaque, calls);
    }

    /** The mnemonic without MPX/CET prefixes ("bnd retq", "notrack jmpq *%rax"): they do not change where control goes. */
    static String mnemonic(Capstone.Instruction insn) {
        return insn.mnemonic().replaceFirst("^(bnd|notrack) ", "");
    }

    /** The target of {@code jmp 0x401136} (AT&T), or -1 for an indirect one. */
    static long directTarget(String operands) {
        String op = operands.trim();
        if (op.startsWith("0x")) {
            try {
                return Long.parseUnsignedLong(op.substring(2), 16);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return -1;
    }
}
