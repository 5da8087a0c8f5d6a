package dev.quiesce.symbols.unwind;

import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** Names frames for tests: every FUNC symbol at the greatest address ≤ pc, from the file and its debug file. */
final class FrameNames {
    private final Map<Path, TreeMap<Long, Set<String>>> tables = new ConcurrentHashMap<>();

    /** The names (aliases) of the function holding a run-time pc, empty if none. */
    Set<String> at(ModuleLookup modules, long pc) {
        Optional<Module> m = modules.moduleAt(pc);
        if (m.isEmpty()) {
            return Set.of();
        }
        TreeMap<Long, Set<String>> table = tables.computeIfAbsent(m.get().elf().path(), p -> load(m.get().elf()));
        Map.Entry<Long, Set<String>> e = table.floorEntry(pc - m.get().bias());
        return e == null ? Set.of() : e.getValue();
    }

    private static TreeMap<Long, Set<String>> load(ElfFile elf) {
        TreeMap<Long, Set<String>> table = new TreeMap<>();
        List<ElfFile> files = new ArrayList<>(List.of(elf));
        elf.separateDebugFile().ifPresent(p -> files.add(ElfFile.open(p)));
        for (ElfFile f : files) {
            for (ElfSymbol s : f.symbols()) {
                if (s.isFunction() && s.isDefined() && s.value() != 0) {
                    // gcc's clones (foo.part.0, foo.isra.0, foo.cold) are foo to a reader
                    table.computeIfAbsent(s.value(), k -> new TreeSet<>()).add(s.name().replaceAll("\\.(part|isra|constprop|cold)(\\.\\d+)?$", ""));
                }
            }
        }
        return table;
    }
}
