package dev.quiesce.symbols.unwind;

import java.util.Optional;

/** Which loaded module holds a run-time address. */
@FunctionalInterface
public interface ModuleLookup {
    Optional<Module> moduleAt(long address);
}
