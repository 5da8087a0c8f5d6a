package dev.quiesce.values;

import dev.quiesce.symbols.dwarf.Demangler;
import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;

/**
 * A module's data symbols (ELF STT_OBJECT with a size), for gdb's {@code <symbol>} after a data
 * pointer: {@code 0x5555555da860 <State::kDefaultPool>}, {@code <vtable for BindingEnv+16>}.
 * Built once per ELF file, then a binary search per pointer.
 */
final class DataSymbols {
    private static final Map<ElfFile, DataSymbols> CACHE = Collections.synchronizedMap(new WeakHashMap<>());

    private final long[] starts;
    private final long[] ends;
    private final String[] names;

    private DataSymbols(List<ElfSymbol> objects) {
        starts = new long[objects.size()];
        ends = new long[objects.size()];
        names = new String[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            ElfSymbol s = objects.get(i);
            starts[i] = s.value();
            ends[i] = s.value() + s.size();
            String plain = s.name().contains("@") ? s.name().substring(0, s.name().indexOf('@')) : s.name();
            String d = Demangler.demangle(plain);
            names[i] = d == null ? plain : d;
        }
    }

    static DataSymbols of(ElfFile elf) {
        return CACHE.computeIfAbsent(elf, e -> {
            List<ElfSymbol> objects = new ArrayList<>();
            for (ElfSymbol s : e.symbols()) {
                if (s.type() == ElfSymbol.STT_OBJECT && s.size() > 0 && s.isDefined() && !s.name().isEmpty()) {
                    objects.add(s);
                }
            }
            objects.sort(Comparator.comparingLong(ElfSymbol::value));
            return new DataSymbols(objects);
        });
    }

    /** The symbol containing a link-time address, with the offset into it as gdb prints it ({@code name+16}). */
    Optional<String> at(long linkTime) {
        int i = Arrays.binarySearch(starts, linkTime);
        if (i < 0) {
            i = -i - 2;
        }
        // symbols can nest or share a start: the nearest one at or before that contains the address
        for (int j = i; j >= 0 && j > i - 8; j--) {
            if (linkTime >= starts[j] && linkTime < ends[j]) {
                return Optional.of(linkTime == starts[j] ? names[j] : names[j] + "+" + (linkTime - starts[j]));
            }
        }
        return Optional.empty();
    }
}
