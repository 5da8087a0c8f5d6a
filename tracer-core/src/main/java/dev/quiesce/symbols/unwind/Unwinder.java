package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.dwarf.DwarfException;
import dev.quiesce.symbols.dwarf.DwarfExpression;
import dev.quiesce.symbols.dwarf.ExpressionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks a stopped thread's stack: call frame information first (DWARF 5 §6.4), then the signal
 * trampoline's saved context, then the rbp chain. Stops at an undefined or zero return address,
 * a CFA that does not grow, unreadable memory or {@link #MAX_FRAMES}.
 */
public final class Unwinder {
    public static final int MAX_FRAMES = 256;
    /**
     * Frames of one walk whatever the caller asks: the CFA must grow from frame to frame, which
     * ends any walk within the stack, except across signal frames; this ends the rest. An 8 MiB
     * stack holds about 100,000 of the smallest real frames.
     */
    public static final int HARD_FRAME_LIMIT = 100_000;
    /** Callee-saved registers of the psABI (§3.2.1): unchanged in the caller unless the CFI says otherwise. */
    private static final int[] CALLEE_SAVED = {Dwarf86Registers.RBX, Dwarf86Registers.RBP, 12, 13, 14, 15};

    private final MemoryReader memory;
    /** Reads instructions: without a debugger's int3 bytes in them (see the second constructor). */
    private final MemoryReader code;
    private final ModuleLookup modules;

    public Unwinder(MemoryReader memory, ModuleLookup modules) {
        this(memory, memory, modules);
    }

    /**
     * {@code code} reads instruction bytes (the signal trampoline's, a prologue's) as the program
     * has them: a breakpoint's int3 at the pc would hide them from {@code memory}'s raw reads.
     */
    public Unwinder(MemoryReader memory, MemoryReader code, ModuleLookup modules) {
        this.code = code;
        this.memory = memory;
        this.modules = modules;
    }

    public List<Frame> unwind(RegisterSet registers) {
        return unwind(registers, MAX_FRAMES);
    }

    public List<Frame> unwind(RegisterSet registers, int maxFrames) {
        List<Frame> frames = new ArrayList<>();
        RegisterSet current = registers;
        UnwindMethod method = UnwindMethod.CONTEXT;
        boolean exactPc = true;
        int limit = Math.min(maxFrames, HARD_FRAME_LIMIT);
        while (frames.size() < limit) {
            Step step = stepOrStop(current, exactPc);
            Frame previous = frames.isEmpty() ? null : frames.get(frames.size() - 1);
            frames.add(new Frame(frames.size(), current.pc(), step.cfa, current, method, step.signalFrame));
            if (step.caller == null || !step.caller.has(Dwarf86Registers.RA) || step.caller.pc() == 0) {
                break;
            }
            if (previous != null && !previous.signalTrampoline() && Long.compareUnsigned(step.cfa, previous.cfa()) <= 0) {
                break; // the stack does not grow towards the caller: a corrupt or misread frame
            }
            current = step.caller;
            method = step.method;
            exactPc = step.signalFrame;
        }
        return frames;
    }

    /** The frame's CFA, its caller's registers (null: none) and how they were found. */
    private record Step(long cfa, RegisterSet caller, UnwindMethod method, boolean signalFrame) {
    }

    private Step stepOrStop(RegisterSet regs, boolean exactPc) {
        try {
            return step(regs, exactPc);
        } catch (UnwindException | DwarfException e) {
            return new Step(0, null, null, false);
        }
    }

    /**
     * The CFA of the innermost frame alone, from its CFI row: no memory is read when the rule is
     * a register plus an offset (the usual case). Empty without CFI for the pc.
     */
    public Optional<Long> innermostCfa(RegisterSet regs) {
        long pc = regs.pc();
        Optional<Module> module = modules.moduleAt(pc);
        if (module.isEmpty()) {
            return Optional.empty();
        }
        try {
            Optional<UnwindRow> row = rowFor(module.get(), pc);
            return row.map(r -> cfa(r.cfa(), regs));
        } catch (UnwindException | DwarfException e) {
            return Optional.empty();
        }
    }

    private Step step(RegisterSet regs, boolean exactPc) {
        long pc = regs.pc();
        // A caller's pc is a return address, possibly just past the function's end (a call to a
        // noreturn function): look up the call instruction instead (DWARF 5 §6.4.4 non-normative).
        long lookup = exactPc ? pc : pc - 1;
        Optional<Module> module = modules.moduleAt(lookup);
        if (module.isPresent()) {
            Optional<UnwindRow> row = rowFor(module.get(), lookup);
            if (row.isPresent()) {
                return applyCfi(row.get(), regs);
            }
        }
        if (SignalTrampoline.isAt(code, pc)) {
            RegisterSet caller = SignalTrampoline.interruptedRegisters(memory, regs.sp());
            return new Step(caller.sp(), caller, UnwindMethod.SIGNAL_CONTEXT, true);
        }
        if (exactPc) {
            Optional<Step> prologue = inPrologue(regs);
            if (prologue.isPresent()) {
                return prologue.get();
            }
        }
        return framePointer(regs);
    }

    /**
     * Without CFI, the innermost frame may be stopped before its frame pointer is set up: at
     * {@code push %rbp} (optionally after {@code endbr64}) the return address is at [rsp]; at
     * the {@code mov %rsp,%rbp} that follows it, at [rsp+8] with the caller's rbp at [rsp].
     * (System V psABI frame layout; what gdb's prologue analysis reads too.)
     */
    private Optional<Step> inPrologue(RegisterSet regs) {
        if (!regs.has(Dwarf86Registers.RSP)) {
            return Optional.empty();
        }
        byte[] code = new byte[4];
        if (this.code.read(regs.pc(), code) < code.length) {
            return Optional.empty();
        }
        long sp = regs.sp();
        int b0 = code[0] & 0xff;
        boolean atEndbr = b0 == 0xf3 && (code[1] & 0xff) == 0x0f && (code[2] & 0xff) == 0x1e && (code[3] & 0xff) == 0xfa;
        boolean atPush = b0 == 0x55 || atEndbr;
        boolean atMov = b0 == 0x48 && (code[1] & 0xff) == 0x89 && (code[2] & 0xff) == 0xe5;
        if (!atPush && !atMov) {
            return Optional.empty();
        }
        long cfa = atPush ? sp + 8 : sp + 16;
        RegisterSet caller = RegisterSet.empty()
                .with(Dwarf86Registers.RBP, atPush ? regs.get(Dwarf86Registers.RBP) : memory.readLong(sp))
                .with(Dwarf86Registers.RSP, cfa)
                .with(Dwarf86Registers.RA, memory.readLong(cfa - 8));
        return Optional.of(new Step(cfa, caller, UnwindMethod.FRAME_POINTER, false));
    }

    private static Optional<UnwindRow> rowFor(Module module, long pc) {
        try {
            return module.cfi().rowFor(pc - module.bias());
        } catch (DwarfException e) {
            return Optional.empty(); // broken CFI for this pc: the fallbacks may still work
        }
    }

    private Step applyCfi(UnwindRow row, RegisterSet regs) {
        long cfa = cfa(row.cfa(), regs);
        RegisterSet caller = RegisterSet.empty();
        for (int r : CALLEE_SAVED) {
            if (regs.has(r)) {
                caller = caller.with(r, regs.get(r));
            }
        }
        caller = caller.with(Dwarf86Registers.RSP, cfa); // psABI: the CFA is rsp before the call
        for (int r = 0; r < Dwarf86Registers.COUNT; r++) {
            int column = r == Dwarf86Registers.RA ? row.returnAddressRegister() : r;
            RegisterRule rule = row.rule(column);
            if (rule == null) {
                if (r == Dwarf86Registers.RA) {
                    caller = caller.without(r); // no rule for the return address: outermost frame
                }
                continue;
            }
            caller = apply(rule, r, column, cfa, regs, caller);
        }
        return new Step(cfa, caller, UnwindMethod.CFI, row.signalFrame());
    }

    private RegisterSet apply(RegisterRule rule, int r, int column, long cfa, RegisterSet regs, RegisterSet caller) {
        if (rule instanceof RegisterRule.Undefined) {
            return caller.without(r);
        }
        if (rule instanceof RegisterRule.SameValue) {
            return regs.has(column) ? caller.with(r, regs.get(column)) : caller.without(r);
        }
        if (rule instanceof RegisterRule.Offset o) {
            return caller.with(r, memory.readLong(cfa + o.offset()));
        }
        if (rule instanceof RegisterRule.ValOffset o) {
            return caller.with(r, cfa + o.offset());
        }
        if (rule instanceof RegisterRule.InRegister in) {
            return regs.has(in.register()) ? caller.with(r, regs.get(in.register())) : caller.without(r);
        }
        if (rule instanceof RegisterRule.Expression e) {
            long address = DwarfExpression.evaluate(e.code(), context(regs), cfa).value();
            return caller.with(r, memory.readLong(address));
        }
        RegisterRule.ValExpression v = (RegisterRule.ValExpression) rule;
        return caller.with(r, DwarfExpression.evaluate(v.code(), context(regs), cfa).value());
    }

    private long cfa(CfaRule rule, RegisterSet regs) {
        if (rule instanceof CfaRule.RegisterOffset ro) {
            return regs.get(ro.register()) + ro.offset();
        }
        return DwarfExpression.evaluate(((CfaRule.Expression) rule).code(), context(regs)).value();
    }

    /** What CFI expressions may read: this frame's registers and the process's memory. */
    private ExpressionContext context(RegisterSet regs) {
        return new ExpressionContext() {
            @Override
            public long register(int dwarfNumber) {
                if (!regs.has(dwarfNumber)) {
                    throw new DwarfException("register " + Dwarf86Registers.name(dwarfNumber) + " is not known in this frame");
                }
                return regs.get(dwarfNumber);
            }

            @Override
            public long readMemory(long address, int size) {
                return memory.read(address, size);
            }
        };
    }

    /**
     * The rbp chain (psABI §3.3.2 "stack frame" with a frame pointer): the caller's rbp is saved at
     * rbp, the return address above it, and the caller's rsp is rbp + 16.
     */
    private Step framePointer(RegisterSet regs) {
        if (!regs.has(Dwarf86Registers.RBP)) {
            throw new UnwindException("no CFI and no frame pointer at 0x" + Long.toHexString(regs.pc()));
        }
        long rbp = regs.get(Dwarf86Registers.RBP);
        if (rbp == 0 || (rbp & 7) != 0
                || (regs.has(Dwarf86Registers.RSP) && Long.compareUnsigned(rbp, regs.sp()) < 0)) {
            throw new UnwindException("implausible frame pointer 0x" + Long.toHexString(rbp));
        }
        long savedRbp = memory.readLong(rbp);
        long returnAddress = memory.readLong(rbp + 8);
        long cfa = rbp + 16;
        RegisterSet caller = RegisterSet.empty()
                .with(Dwarf86Registers.RBP, savedRbp)
                .with(Dwarf86Registers.RSP, cfa)
                .with(Dwarf86Registers.RA, returnAddress);
        return new Step(cfa, caller, UnwindMethod.FRAME_POINTER, false);
    }
}
