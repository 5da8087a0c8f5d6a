package dev.quiesce.symbols.elf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The function symbols of an ELF file sorted by address, for naming code that has no debug
 * information (libc, the dynamic linker): the symbol containing an address, or the nearest one
 * below it when sizes are missing. Global names win over local aliases at the same address.
 */
public final class FunctionSymbols {
    private final long[] starts;
    private final ElfSymbol[] symbols;
    private final Map<String, List<ElfSymbol>> byName = new HashMap<>();

    public FunctionSymbols(ElfFile elf) {
        List<ElfSymbol> functions = new ArrayList<>();
        for (ElfSymbol s : elf.symbols()) {
            if (s.isFunction() && s.isDefined() && s.value() != 0) {
                functions.add(s);
                byName.computeIfAbsent(plainName(s.name()), k -> new ArrayList<>()).add(s);
            }
        }
        functions.sort(Comparator.comparingLong(ElfSymbol::value)
                .thenComparing(s -> s.binding() == ElfSymbol.STB_GLOBAL ? 0 : s.binding() == ElfSymbol.STB_WEAK ? 1 : 2)
                .thenComparing(s -> s.name().startsWith("_") ? 1 : 0));
        List<ElfSymbol> unique = new ArrayList<>();
        for (ElfSymbol s : functions) {
            if (unique.isEmpty() || unique.get(unique.size() - 1).value() != s.value()) {
                unique.add(s);
            }
        }
        symbols = unique.toArray(new ElfSymbol[0]);
        starts = new long[symbols.length];
        for (int i = 0; i < symbols.length; i++) {
            starts[i] = symbols[i].value();
        }
    }

    /** The function symbol at a link-time address: containing it, else the nearest below without a size. */
    public Optional<ElfSymbol> at(long address) {
        int i = Arrays.binarySearch(starts, address);
        if (i < 0) {
            i = -i - 2;
        }
        if (i < 0) {
            return Optional.empty();
        }
        ElfSymbol s = symbols[i];
        if (s.size() == 0 || address < s.value() + s.size()) {
            return Optional.of(s);
        }
        return Optional.empty();
    }

    /** Symbols with this name (a versioned name like {@code memcpy@@GLIBC_2.14} matches {@code memcpy}). */
    public List<ElfSymbol> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** Every function symbol, one per address, by address. */
    public List<ElfSymbol> all() {
        return List.of(symbols);
    }

    public int size() {
        return symbols.length;
    }

    private static String plainName(String name) {
        int at = name.indexOf('@');
        return at > 0 ? name.substring(0, at) : name;
    }
}
