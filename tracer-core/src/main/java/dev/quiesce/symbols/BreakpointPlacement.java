package dev.quiesce.symbols;

import dev.quiesce.symbols.dwarf.AddressRange;
import dev.quiesce.symbols.dwarf.DwarfException;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.dwarf.FunctionIndex;
import dev.quiesce.symbols.dwarf.InlinedCall;
import dev.quiesce.symbols.dwarf.LineRow;
import dev.quiesce.symbols.dwarf.LineTable;
import dev.quiesce.symbols.dwarf.Unit;
import dev.quiesce.symbols.elf.ElfSymbol;
import dev.quiesce.symbols.elf.FunctionSymbols;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Where breakpoints go in one object file, as gdb places them: the addresses of a source line
 * (moved to the next line with code, one per block, past a function's prologue) and of a
 * function by name (after its prologue, plus its inlined copies). Link-time addresses; the
 * answers of {@link ModuleSymbols#addressesForLine} and {@link ModuleSymbols#functionEntries}.
 */
final class BreakpointPlacement {
    private static final Logger LOG = Logger.getLogger(BreakpointPlacement.class.getName());

    private final ModuleSymbols symbols;

    BreakpointPlacement(ModuleSymbols symbols) {
        this.symbols = symbols;
    }

    // ---- source → addresses

    /**
     * Where a breakpoint on file:line goes, as gdb places it: the first line at or after
     * {@code line} with code; in each block (function or inlined copy) the lowest address that
     * starts it; an address at a function's entry moves past the prologue (and to that line).
     */
    Optional<ModuleSymbols.LineAddresses> addressesForLine(String file, int line) {
        int best = Integer.MAX_VALUE;
        List<LineTable> tables = new ArrayList<>();
        for (LineTable t : symbols.lineTablesNaming(file)) {
            if (t.hasFile(file)) {
                tables.add(t);
                OptionalInt l = t.lineWithCode(file, line);
                if (l.isPresent() && l.getAsInt() < best) {
                    best = l.getAsInt();
                }
            }
        }
        if (best == Integer.MAX_VALUE) {
            return Optional.empty();
        }
        TreeSet<Long> found = new TreeSet<>(Long::compareUnsigned);
        for (LineTable t : tables) {
            found.addAll(t.addressesForLine(file, best));
        }
        if (found.size() == 1 && symbols.insideSymbolFunction(found.first())) {
            // One address, inside a function's code and not its entry: it is the place, with no
            // block to tell apart and no prologue to skip, so no scan of the unit's DIEs (a large
            // C++ unit's takes ~200 ms) before the program may run. The stop will want them.
            long a = found.first();
            symbols.indexAhead(a);
            String path = symbols.positionAt(a).map(SourcePosition::path).orElse(file);
            return Optional.of(new ModuleSymbols.LineAddresses(path, best, List.of(a)));
        }
        Map<Long, Long> lowestPerBlock = new java.util.LinkedHashMap<>();
        for (long a : found) {
            lowestPerBlock.putIfAbsent(blockOf(a), a); // ascending: the first seen is the lowest
        }
        TreeSet<Long> addresses = new TreeSet<>(Long::compareUnsigned);
        int resolvedLine = best;
        for (long a : lowestPerBlock.values()) {
            Optional<FunctionIndex> index = symbols.unitFunctions(a);
            Function f = index.map(i -> i.functionAt(a)).orElse(null);
            if (f != null && f.entryPc() == a && !isOptimized(f.unit())) {
                long body = afterPrologue(f);
                addresses.add(body);
                if (lowestPerBlock.size() == 1) {
                    resolvedLine = symbols.positionAt(body).map(SourcePosition::line).orElse(best);
                }
            } else {
                addresses.add(a);
            }
        }
        String path = symbols.positionAt(addresses.first()).map(SourcePosition::path).orElse(file);
        return Optional.of(new ModuleSymbols.LineAddresses(path, resolvedLine, new ArrayList<>(addresses)));
    }

    /** Identity of the innermost block holding an address: an inlined copy, a function, or the address itself. */
    private long blockOf(long address) {
        Optional<FunctionIndex> index = symbols.unitFunctions(address);
        if (index.isEmpty()) {
            return address;
        }
        List<InlinedCall> chain = index.get().inlineChain(address);
        if (!chain.isEmpty()) {
            return chain.get(0).dieOffset();
        }
        Function f = index.get().functionAt(address);
        return f == null ? address : f.dieOffset();
    }

    /**
     * gdb's "locations valid" rule (dwarf2/read.c): a unit from GCC 4.5 or later that has a
     * location list is optimized code whose variable locations are exact from the first
     * instruction, so breakpoints go at the entry, not past a prologue. The -O flags in
     * DW_AT_producer are not the test: ninja's configure.py with CFLAGS=-O0 records
     * "-O2 ... -O0", and that code is -O0 with prologues. Clang units never qualify.
     */
    private static boolean isOptimized(Unit unit) {
        return isGcc45OrLater(unit.producer()) && unit.hasLocationLists();
    }

    private static final java.util.regex.Pattern GCC_VERSION = java.util.regex.Pattern.compile("^GNU \\S+ (\\d+)\\.(\\d+)");

    /** "GNU C17 12.2.0 -mtune=generic ...", "GNU C++17 12.2.0 ...": gcc's DW_AT_producer. */
    static boolean isGcc45OrLater(String producer) {
        if (producer == null || producer.startsWith("GNU AS")) {
            return false;
        }
        java.util.regex.Matcher m = GCC_VERSION.matcher(producer);
        if (!m.find()) {
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        int minor = Integer.parseInt(m.group(2));
        return major > 4 || (major == 4 && minor >= 5);
    }

    // ---- functions by name

    /**
     * Where a breakpoint on a function goes: its entry after the prologue, for every function
     * of that name (plain, qualified like {@code geo::Rect::area}, or linkage name); symbol-table
     * functions without DWARF give their first instruction.
     */
    List<Long> functionEntries(String name) {
        if (symbols.hasDebugInfo() && symbols.debugFile() != symbols.elf()) {
            return entriesFromSymbolTable(name);
        }
        List<Long> out = new ArrayList<>();
        Optional<FunctionIndex> index = symbols.functions();
        if (index.isPresent()) {
            for (Function f : index.get().functionsNamed(name)) {
                out.add(afterPrologue(f));
            }
            for (InlinedCall call : inlinedCopies().getOrDefault(name, List.of())) {
                // gdb (13) breaks at the start of the copy's first range, not at DW_AT_entry_pc.
                long start = call.ranges().get(0).low();
                if (!out.contains(start)) {
                    out.add(start);
                }
            }
        }
        if (out.isEmpty()) {
            for (ElfSymbol s : symbols.functionSymbols().named(name)) {
                out.add(s.value());
            }
        }
        if (out.isEmpty() && name.contains("::")) {
            for (long a : demangled(name)) {
                Optional<Function> f = symbols.functionAt(a).filter(fn -> fn.entryPc() == a);
                long entry = f.map(this::afterPrologue).orElse(a);
                if (!out.contains(entry)) {
                    out.add(entry);
                }
            }
        }
        return out;
    }

    /**
     * Functions whose demangled name is {@code name}, or ends in {@code ::name} as gdb's wild
     * matching takes it: {@code Shape::area} is {@code shapes::Shape::area} (a Rust method, whose
     * DWARF scope is {@code shapes::{impl#0}}, so only its linkage name says Shape).
     */
    private List<Long> demangled(String name) {
        Map<String, List<Long>> map = demangledNames();
        List<Long> exact = map.getOrDefault(name, List.of());
        if (!exact.isEmpty()) {
            return exact;
        }
        List<Long> out = new ArrayList<>();
        String suffix = "::" + name;
        for (Map.Entry<String, List<Long>> e : map.entrySet()) {
            if (e.getKey().endsWith(suffix)) {
                out.addAll(e.getValue());
            }
        }
        return out;
    }

    private volatile Map<String, List<Long>> byDemangledName;

    /**
     * Function symbols by demangled name without parameters, built on the first miss: gcc gives
     * a lambda's operator() no DW_AT_linkage_name and its class no name, so gdb's name for it,
     * {@code main::{lambda(int)#1}::operator()}, comes from the ELF symbol
     * ({@code _ZZ4mainENKUliE_clEi}).
     */
    private Map<String, List<Long>> demangledNames() {
        Map<String, List<Long>> map = byDemangledName;
        if (map == null) {
            map = new java.util.HashMap<>();
            for (ElfSymbol s : symbols.functionSymbols().all()) {
                if (s.name().startsWith("_Z") || s.name().startsWith("_R")) { // C++ and legacy Rust, v0 Rust
                    String d = dev.quiesce.symbols.dwarf.Demangler.demangle(s.name());
                    if (d != null) {
                        map.computeIfAbsent(inherentPath(withoutParameters(d)), k -> new ArrayList<>(1)).add(s.value());
                    }
                }
            }
            byDemangledName = map;
        }
        return map;
    }

    /** A v0 Rust inherent method's name as a path: "&lt;shapes::Shape&gt;::area" → "shapes::Shape::area" (trait impls, "&lt;T as Tr&gt;::f", stay). */
    static String inherentPath(String d) {
        if (!d.startsWith("<")) {
            return d;
        }
        int depth = 0;
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>' && --depth == 0) {
                String inside = d.substring(1, i);
                return d.startsWith("::", i + 1) && !inside.contains(" as ") ? inside + d.substring(i + 1) : d;
            }
        }
        return d;
    }

    /** "main::{lambda(int)#1}::operator()(int) const" → "main::{lambda(int)#1}::operator()". */
    static String withoutParameters(String demangled) {
        String s = demangled.endsWith(" const") ? demangled.substring(0, demangled.length() - 6) : demangled;
        if (!s.endsWith(")")) {
            return s;
        }
        int depth = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
            char c = s.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(' && --depth == 0) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private volatile FunctionSymbols debugFileSymbols;

    /**
     * A system library with a separate debug file (libc with libc6-dbg): its whole DWARF is
     * large, so a name is found in the symbol tables (the debug file's full .symtab and the
     * library's .dynsym) and only the unit holding each address is read, for the entry after
     * the prologue.
     */
    private List<Long> entriesFromSymbolTable(String name) {
        FunctionSymbols full = debugFileSymbols;
        if (full == null) {
            synchronized (this) {
                if (debugFileSymbols == null) {
                    debugFileSymbols = new FunctionSymbols(symbols.debugFile());
                }
                full = debugFileSymbols;
            }
        }
        java.util.TreeSet<Long> addresses = new java.util.TreeSet<>(Long::compareUnsigned);
        full.named(name).forEach(sym -> addresses.add(sym.value()));
        symbols.functionSymbols().named(name).forEach(sym -> addresses.add(sym.value()));
        List<Long> out = new ArrayList<>();
        for (long a : addresses) {
            Optional<Function> f = symbols.functionAt(a).filter(fn -> fn.entryPc() == a);
            long entry = f.map(this::afterPrologue).orElse(a);
            if (!out.contains(entry)) {
                out.add(entry);
            }
        }
        return out;
    }

    private volatile Map<String, List<InlinedCall>> inlinedByName;

    /**
     * Inlined copies of functions by name (plain, qualified, linkage), as gdb adds them to a
     * function breakpoint: each copy's entry. Built on first use by reading every function's
     * scopes, for DWARF in the file itself (programs and libraries built with -g); a system
     * library's separate debug file (libc's) is not walked for this.
     */
    private Map<String, List<InlinedCall>> inlinedCopies() {
        Map<String, List<InlinedCall>> map = inlinedByName;
        if (map != null) {
            return map;
        }
        synchronized (this) {
            if (inlinedByName != null) {
                return inlinedByName;
            }
            Map<String, List<InlinedCall>> built = new java.util.HashMap<>();
            if (symbols.debugFile() == symbols.elf()) {
                try {
                    for (Function f : symbols.functions().map(FunctionIndex::functions).orElse(List.of())) {
                        collectInlined(f.scope(), built);
                    }
                } catch (DwarfException | IndexOutOfBoundsException e) {
                    LOG.log(Level.FINE, "inlined copies of " + symbols.elf() + " not indexed", e);
                }
            }
            inlinedByName = built;
            return built;
        }
    }

    private static void collectInlined(dev.quiesce.symbols.dwarf.Scope scope, Map<String, List<InlinedCall>> out) {
        for (dev.quiesce.symbols.dwarf.Scope child : scope.children()) {
            InlinedCall call = child.inlined();
            if (call != null && !call.ranges().isEmpty()) {
                for (String key : new LinkedHashSet<>(java.util.Arrays.asList(call.name(), call.qualifiedName(), call.linkageName()))) {
                    if (key != null) {
                        out.computeIfAbsent(key, k -> new ArrayList<>()).add(call);
                    }
                }
            }
            collectInlined(child, out);
        }
    }

    /**
     * A function's breakpoint address, as gdb picks it: the entry for optimized code; otherwise
     * the first line-table row after the entry (the end of the prologue's line), or a row
     * marked prologue_end.
     */
    long afterPrologue(Function f) {
        long entry = f.entryPc();
        if (isOptimized(f.unit())) {
            return entry;
        }
        AddressRange first = null;
        for (AddressRange r : f.ranges()) {
            if (r.contains(entry)) {
                first = r;
            }
        }
        Optional<LineTable> table;
        try {
            table = first == null ? Optional.empty() : symbols.lineTable(f.unit());
        } catch (DwarfException e) {
            table = Optional.empty();
        }
        if (table.isEmpty()) {
            return entry;
        }
        LineTable t = table.get();
        OptionalInt startRow = t.rowIndexFor(entry);
        if (startRow.isEmpty()) {
            return entry;
        }
        for (int i = startRow.getAsInt() + 1; i < t.rowCount(); i++) {
            LineRow row = t.row(i);
            if (row.endSequence() || row.address() >= first.high()) {
                break;
            }
            if (row.address() > entry && (row.isStmt() || row.prologueEnd())) {
                return row.address();
            }
        }
        return entry;
    }
}
