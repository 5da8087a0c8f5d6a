package dev.quiesce.debugger;

import dev.quiesce.disasm.Capstone;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.PltSlots;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls a thread can still make on its current source line (the step-in targets): every
 * call instruction from the pc to the end of the line's code, in address order (the order they
 * run, gcc and clang laying a line out straight), each named by the function it calls: the
 * function's name from DWARF or the symbol table, the symbol a PLT stub's GOT slot is bound to
 * ({@code puts}, not {@code puts@plt}), or the operand of an indirect call.
 */
public final class CallsOnLine {
    /** One call: its instruction's address and what it calls. */
    public record Call(long address, String name) {
    }

    private static final Map<ElfFile, PltSlots> PLTS = new ConcurrentHashMap<>();

    private CallsOnLine() {
    }

    public static List<Call> at(TracedProcess process, SharedLibraries libraries, long pc) {
        Optional<LoadedModule> m = libraries.moduleAt(pc);
        if (m.isEmpty()) {
            return List.of();
        }
        Optional<ModuleSymbols.LineRange> range = ModuleSymbols.of(m.get().elf()).lineRangeAt(m.get().toLinkTime(pc));
        if (range.isEmpty()) {
            return List.of();
        }
        long high = m.get().toRuntime(range.get().high());
        byte[] code = process.readMemoryNow(pc, (int) (high - pc));
        List<Call> out = new ArrayList<>();
        for (Capstone.Instruction insn : Capstone.disassemble(code, pc, 0)) {
            if (CodeExits.mnemonic(insn).startsWith("call")) {
                long target = CodeExits.directTarget(insn.operands());
                out.add(new Call(insn.address(), target < 0 ? "indirect call (" + insn.operands().trim() + ")"
                        : nameOf(process, libraries, target)));
            }
        }
        return out;
    }

    private static String nameOf(TracedProcess process, SharedLibraries libraries, long target) {
        Optional<LoadedModule> m = libraries.moduleAt(target);
        if (m.isEmpty()) {
            return "0x" + Long.toHexString(target);
        }
        long link = m.get().toLinkTime(target);
        PltSlots plt = PLTS.computeIfAbsent(m.get().elf(), PltSlots::new);
        if (plt.inPlt(link)) {
            for (Capstone.Instruction insn : Capstone.disassemble(process.readMemoryNow(target, 16), target, 2)) {
                if (CodeExits.mnemonic(insn).startsWith("jmp")) {
                    Optional<String> name = plt.target(m.get().toLinkTime(insn.address()), insn.bytes().length, insn.operands());
                    if (name.isPresent()) {
                        return name.get();
                    }
                }
            }
        }
        ModuleSymbols symbols = ModuleSymbols.of(m.get().elf());
        return symbols.functionAt(link).map(CallsOnLine::name)
                .or(() -> symbols.symbolName(link))
                .orElse("0x" + Long.toHexString(target));
    }

    private static String name(Function f) {
        return f.qualifiedName() != null ? f.qualifiedName() : f.name();
    }
}
