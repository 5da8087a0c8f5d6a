package dev.quiesce.values.call;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.dwarf.FunctionIndex;
import dev.quiesce.symbols.elf.ElfSymbol;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds a function to call by name, as gdb does: a DWARF subprogram with code in any loaded
 * module (the selected frame's module first), which gives its return and parameter types; else
 * a defined ELF function symbol (the dynamic linker's and libc's {@code strlen}), whose types
 * are unknown.
 */
final class FunctionLookup {
    /** DW_LANG_Mips_Assembler: what GNU as writes for .S files. */
    private static final int LANG_MIPS_ASSEMBLER = 0x8001;
    private FunctionLookup() {
    }

    static Optional<CallTarget> find(String name, List<LoadedModule> modules, FrameContext frame) {
        List<LoadedModule> order = new ArrayList<>();
        frame.module().ifPresent(order::add);
        for (LoadedModule m : modules) {
            if (!order.contains(m)) {
                order.add(m);
            }
        }
        for (LoadedModule m : order) {
            Optional<CallTarget> t = fromDwarf(name, m);
            if (t.isPresent()) {
                return t;
            }
        }
        for (LoadedModule m : order) {
            Optional<CallTarget> t = fromSymbols(name, m);
            if (t.isPresent()) {
                return t;
            }
        }
        return Optional.empty();
    }

    /** Every DWARF function of that name with code, in the first module (in lookup order) that has one (C++ overloads). */
    static List<CallTarget> findAll(String name, List<LoadedModule> modules, FrameContext frame) {
        List<LoadedModule> order = new ArrayList<>();
        frame.module().ifPresent(order::add);
        for (LoadedModule m : modules) {
            if (!order.contains(m)) {
                order.add(m);
            }
        }
        for (LoadedModule m : order) {
            List<CallTarget> all = new ArrayList<>();
            fromDwarf(name, m, all);
            if (!all.isEmpty()) {
                return all;
            }
        }
        return find(name, modules, frame).map(List::of).orElse(List.of());
    }

    private static Optional<CallTarget> fromDwarf(String name, LoadedModule m) {
        List<CallTarget> all = new ArrayList<>();
        fromDwarf(name, m, all);
        return all.stream().findFirst();
    }

    private static void fromDwarf(String name, LoadedModule m, List<CallTarget> out) {
        ModuleSymbols symbols = ModuleSymbols.of(m.elf());
        Optional<FunctionIndex> index = symbols.functions();
        if (index.isEmpty()) {
            return;
        }
        for (Function f : index.get().functionsNamed(name)) {
            if (f.ranges().isEmpty()) {
                continue;
            }
            var info = index.get().debugInfo();
            if (f.language() == LANG_MIPS_ASSEMBLER) {
                // An assembler unit (ld.so's strlen-sse2.S): the name and code, no signature; called as
                // a function without debug information.
                add(out, new CallTarget(f.qualifiedName(), m.toRuntime(f.entryPc()), null, List.of(), true, null, false));
                continue;
            }
            Signatures s = Signatures.of(info, FrameContext.typeReader(info), info.die(f.dieOffset()));
            long entry = m.toRuntime(f.entryPc());
            boolean ifunc = symbols.functionSymbols().named(name).stream()
                    .anyMatch(e -> e.type() == ElfSymbol.STT_GNU_IFUNC && e.value() == f.entryPc());
            add(out, new CallTarget(f.qualifiedName(), entry, ifunc ? null : s.returnType(), s.parameters(),
                    s.anyArguments() || ifunc, null, ifunc));
        }
    }

    private static void add(List<CallTarget> out, CallTarget t) {
        if (out.stream().noneMatch(o -> o.address() == t.address())) {
            out.add(t);
        }
    }

    private static Optional<CallTarget> fromSymbols(String name, LoadedModule m) {
        ElfSymbol best = null;
        for (ElfSymbol e : ModuleSymbols.of(m.elf()).functionSymbols().named(name)) {
            if (best == null || rank(e) < rank(best)) {
                best = e;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        return Optional.of(new CallTarget(name, m.toRuntime(best.value()), null, List.of(), true, null,
                best.type() == ElfSymbol.STT_GNU_IFUNC));
    }

    private static int rank(ElfSymbol e) {
        return e.binding() == ElfSymbol.STB_GLOBAL ? 0 : e.binding() == ElfSymbol.STB_WEAK ? 1 : 2;
    }

    /** A function pointer's (or function's) type as a call target at {@code address}. */
    static CallTarget ofPointer(String name, long address, Type function) {
        Type f = function.strip();
        return new CallTarget(name, address, f.target() == null ? Type.VOID : f.target(), f.parameters(), false, null, false);
    }
}
