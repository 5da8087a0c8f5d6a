package dev.quiesce.dap;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.SourcePosition;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.util.List;
import java.util.Optional;

/**
 * What a run-time code address means, for disassembly: its module, the function symbol that
 * holds it with the offset into it ({@code factorial+4}), and its source line from the line
 * table (link-time address = run-time address - the module's bias).
 */
final class CodeLocations {
    private final List<LoadedModule> modules;

    CodeLocations(List<LoadedModule> modules) {
        this.modules = modules;
    }

    Optional<LoadedModule> moduleAt(long address) {
        for (LoadedModule m : modules) {
            if (m.contains(address)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The function symbol holding an address: its run-time start, end (start if unsized) and name. */
    record Symbol(String name, long start, long end) {
        String at(long address) {
            return address == start ? name : name + "+" + (address - start);
        }
    }

    Optional<Symbol> symbolAt(long address) {
        Optional<LoadedModule> module = moduleAt(address);
        if (module.isEmpty()) {
            return Optional.empty();
        }
        LoadedModule m = module.get();
        try {
            ModuleSymbols symbols = ModuleSymbols.of(m.elf());
            long link = m.toLinkTime(address);
            Optional<ElfSymbol> symbol = symbols.functionSymbols().at(link);
            if (symbol.isEmpty()) {
                // A static function of a stripped library (libc's __libc_start_call_main is in
                // the separate debug file's .symtab only): its DWARF subprogram names it.
                return symbols.functionAt(link).filter(f -> f.highPc() > f.lowPc()).map(f -> new Symbol(
                        f.qualifiedName() != null ? f.qualifiedName() : f.name(),
                        m.toRuntime(f.lowPc()), m.toRuntime(f.highPc())));
            }
            ElfSymbol s = symbol.get();
            String name = symbols.symbolName(link).orElse(s.name());
            long start = m.toRuntime(s.value());
            return Optional.of(new Symbol(name, start, start + s.size()));
        } catch (RuntimeException e) {
            return Optional.empty(); // unreadable symbols: the instruction just has no name
        }
    }

    Optional<SourcePosition> positionAt(long address) {
        Optional<LoadedModule> module = moduleAt(address);
        if (module.isEmpty()) {
            return Optional.empty();
        }
        try {
            return ModuleSymbols.of(module.get().elf()).positionAt(module.get().toLinkTime(address));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
