package dev.quiesce.debugger;

import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.SourcePosition;
import dev.quiesce.symbols.dwarf.Function;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Predicate;

/**
 * Which code a step treats as Rust's standard library without sources (issue 15): code whose
 * line table names a file of the toolchain's library ({@code /rustc/<commit>/library/...}, the
 * relative {@code library/...} of std's own units, a sysroot's {@code lib/rustlib/src/rust/} or
 * Debian's {@code /usr/src/rustc-*}) in a Rust unit, or any code of a {@code libstd-*.so}, and
 * whose file the client cannot open ({@code sourceAvailable}, which applies the sourceMap). A
 * step does not stop there: it runs out of it, stopping only in user code it calls (a closure
 * given to {@code map}), as Visual Studio's "Just My Code" does. With the sources mapped in
 * (a sourceMap to a rust-src checkout) std is ordinary code with lines, stepped into as rust-gdb does.
 * C code (libc without sources included) is never std: its steps are unchanged.
 */
final class RustStdCode {
    private static final int DW_LANG_RUST = 0x1c;

    private final Predicate<String> sourceAvailable;
    /** Per module: the after-prologue link-time addresses of its functions that are not std. */
    private final Map<ModuleSymbols, long[]> userEntries = new WeakHashMap<>();

    RustStdCode(Predicate<String> sourceAvailable) {
        this.sourceAvailable = sourceAvailable;
    }

    /** Whether the code at a runtime address is std without a readable source. */
    boolean isStdWithoutSource(LoadedModule m, long pc) {
        ModuleSymbols symbols = ModuleSymbols.of(m.elf());
        long link = m.toLinkTime(pc);
        Optional<SourcePosition> at = symbols.positionAt(link);
        String name = Path.of(m.path()).getFileName().toString();
        if (name.startsWith("libstd-") && name.contains(".so")) {
            return at.isEmpty() || !sourceAvailable.test(at.get().path());
        }
        if (at.isEmpty() || !isToolchainLibrary(at.get().path()) || sourceAvailable.test(at.get().path())) {
            return false;
        }
        Optional<Function> f = symbols.functionAt(link);
        return f.isEmpty() || f.get().language() == DW_LANG_RUST;
    }

    static boolean isToolchainLibrary(String path) {
        return path.startsWith("/rustc/") || path.startsWith("library/") || path.contains("/lib/rustlib/src/rust/")
                || path.startsWith("/usr/src/rustc-");
    }

    /**
     * The runtime addresses (after the prologue) of the module's functions that are user code: not
     * std by {@link #isToolchainLibrary} and with a source the client can open. Where a step through
     * std stops if std calls one of them. Read from the module's function index once per module.
     */
    synchronized long[] userEntries(LoadedModule m) {
        ModuleSymbols symbols = ModuleSymbols.of(m.elf());
        long[] link = userEntries.get(symbols);
        if (link == null) {
            List<Long> found = new ArrayList<>();
            for (Function f : symbols.functions().map(idx -> idx.functions()).orElse(List.of())) {
                Optional<SourcePosition> at = symbols.positionAt(f.entryPc());
                if (at.isPresent() && !isToolchainLibrary(at.get().path()) && sourceAvailable.test(at.get().path())) {
                    found.add(symbols.afterPrologue(f));
                }
            }
            link = found.stream().mapToLong(Long::longValue).distinct().toArray();
            userEntries.put(symbols, link);
        }
        long[] runtime = new long[link.length];
        for (int i = 0; i < link.length; i++) {
            runtime[i] = m.toRuntime(link[i]);
        }
        return runtime;
    }
}
