package dev.quiesce.symbols;

import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Demangler;
import dev.quiesce.symbols.dwarf.DwarfException;
import dev.quiesce.symbols.dwarf.DwarfSections;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.dwarf.FunctionIndex;
import dev.quiesce.symbols.dwarf.InlinedCall;
import dev.quiesce.symbols.dwarf.LineFile;
import dev.quiesce.symbols.dwarf.LineRow;
import dev.quiesce.symbols.dwarf.LineSection;
import dev.quiesce.symbols.dwarf.LineTable;
import dev.quiesce.symbols.dwarf.Unit;
import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.FunctionSymbols;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Everything the debugger asks of one object file's symbols, at link-time addresses: the
 * function and source line of an address (with inlined frames), the addresses of a source line,
 * a function's entry after its prologue. DWARF comes from the file itself or from its separate
 * debug file; the symbol table answers where there is no DWARF. Parsed lazily, thread-safe,
 * shared by every process that maps the file ({@link #of}).
 */
public final class ModuleSymbols {
    private static final Logger LOG = Logger.getLogger(ModuleSymbols.class.getName());
    private static final Map<ElfFile, ModuleSymbols> CACHE = new ConcurrentHashMap<>();

    private final ElfFile elf;
    private final ElfFile debugElf;
    private volatile FunctionSymbols functionSymbols;
    private volatile DebugInfo debugInfo;
    private volatile FunctionIndex functionIndex;
    private volatile LineSection lineSection;
    private volatile boolean dwarfBroken;
    private final Map<Long, FunctionIndex> unitIndexes = new ConcurrentHashMap<>();
    private final BreakpointPlacement placement = new BreakpointPlacement(this);

    private ModuleSymbols(ElfFile elf) {
        this.elf = elf;
        ElfFile withDwarf = elf;
        if (elf.section(".debug_info").isEmpty()) {
            Optional<java.nio.file.Path> separate = elf.separateDebugFile();
            if (separate.isPresent()) {
                try {
                    withDwarf = ObjectFiles.shared().open(separate.get());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "cannot open the debug file " + separate.get() + " of " + elf, e);
                }
            }
        }
        this.debugElf = withDwarf;
    }

    public static ModuleSymbols of(ElfFile elf) {
        return CACHE.computeIfAbsent(elf, ModuleSymbols::new);
    }

    public ElfFile elf() {
        return elf;
    }

    public boolean hasDebugInfo() {
        return debugElf.section(".debug_info").isPresent() && !dwarfBroken;
    }

    /** The file the DWARF came from (the object itself or its separate debug file). */
    public ElfFile debugFile() {
        return debugElf;
    }

    // ---- lazily built parts

    public FunctionSymbols functionSymbols() {
        FunctionSymbols s = functionSymbols;
        if (s == null) {
            synchronized (this) {
                if (functionSymbols == null) {
                    functionSymbols = new FunctionSymbols(elf);
                }
                s = functionSymbols;
            }
        }
        return s;
    }

    /** The DWARF function index, or empty without (usable) DWARF. */
    public Optional<FunctionIndex> functions() {
        if (!hasDebugInfo()) {
            return Optional.empty();
        }
        FunctionIndex f = functionIndex;
        if (f == null) {
            synchronized (this) {
                if (functionIndex == null && !dwarfBroken) {
                    try {
                        functionIndex = FunctionIndex.build(debugInfo());
                    } catch (DwarfException | IndexOutOfBoundsException e) {
                        dwarfBroken = true;
                        LOG.log(Level.WARNING, "cannot read the DWARF of " + debugElf + "; using its symbol table", e);
                    }
                }
                f = functionIndex;
            }
        }
        return Optional.ofNullable(f);
    }

    /** The functions of the unit holding a link-time address (indexed per unit, on first use). */
    Optional<FunctionIndex> unitFunctions(long address) {
        if (!hasDebugInfo()) {
            return Optional.empty();
        }
        try {
            Unit unit = debugInfo().unitAt(address);
            if (unit == null) {
                return Optional.empty();
            }
            return Optional.of(indexOf(unit));
        } catch (DwarfException | IndexOutOfBoundsException e) {
            LOG.log(Level.FINE, "no function index at 0x" + Long.toHexString(address) + " in " + debugElf, e);
            return Optional.empty();
        }
    }

    /**
     * Whether a link-time address lies strictly inside a function the symbol table gives a size:
     * then no function starts there (every function with code, DWARF's included, has its symbol
     * in a program that has a symbol table), and placing a breakpoint on it needs no DWARF
     * function index. False when unsure (no such symbol, or the address is a symbol's start).
     */
    boolean insideSymbolFunction(long address) {
        return functionSymbols().at(address).map(f -> f.size() > 0 && f.value() < address).orElse(false);
    }

    private static final java.util.concurrent.Executor AHEAD = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "quiesce-unit-ahead");
        t.setDaemon(true);
        return t;
    });

    /**
     * Builds, on a background thread, the function index of the unit holding a link-time address
     * (a breakpoint's): a stop there asks for it first (its frame's function, scopes), and the
     * program runs to the stop meanwhile. A lookup of the same unit that comes first waits for it.
     */
    void indexAhead(long address) {
        AHEAD.execute(() -> unitFunctions(address));
    }

    /**
     * Builds the ELF symbol table's function map on a background thread (~15 ms for a C++ program
     * of ninja's size): a line breakpoint set before the program runs asks for it right after the
     * line tables, which the asking thread reads meanwhile (issue 19).
     */
    public void functionSymbolsAhead() {
        AHEAD.execute(this::functionSymbols);
    }

    /**
     * Reads ahead, on a background thread, what placing the first line breakpoint reads before
     * anything else (issue 19): every unit's line-program header (which units name the file) and
     * the map of units by address (which unit's functions hold an address). A launch asks for it
     * when it opens the program, before the client's setBreakpoints arrives; a request that comes
     * while it runs waits for the piece being read instead of reading it twice.
     */
    public void placementAhead() {
        AHEAD.execute(() -> {
            try {
                if (!hasDebugInfo()) {
                    return;
                }
                for (Unit u : debugInfo().units()) {
                    long offset = u.stmtList();
                    if (!u.header().isTypeUnit() && offset >= 0) {
                        lines().program(offset, u.compDir());
                    }
                }
                debugInfo().unitAt(0);
            } catch (DwarfException | IndexOutOfBoundsException e) {
                LOG.log(Level.FINE, "read-ahead of " + debugElf + " stopped", e);
            }
        });
    }

    private FunctionIndex indexOf(Unit unit) {
        return unitIndexes.computeIfAbsent(unit.offset(), k -> FunctionIndex.build(debugInfo(), List.of(unit)));
    }

    /**
     * Reads ahead, on a background thread, what the first questions about this file will need
     * (as a debugger reads symbols when a file is loaded): the unit map and, for DWARF in the
     * file itself (programs and libraries built with -g), every unit's line table and functions.
     * A separate debug file (libc's) is only mapped: its units are read when an address needs them.
     */
    public void prefetch() {
        prefetch(PrefetchProgress.NONE);
    }

    /** A module whose {@code .debug_info} is at least this large reports its prefetch's progress. */
    public static final long PROGRESS_THRESHOLD = 512 * 1024;

    /** {@link #prefetch()}, telling {@code progress} of a large module's units as they are read. */
    public void prefetch(PrefetchProgress progress) {
        int done = 0;
        boolean told = false;
        try {
            functionSymbols();
            if (!hasDebugInfo()) {
                return;
            }
            debugInfo().unitAt(0);
            if (debugElf != elf) {
                return;
            }
            List<Unit> units = debugInfo().units().stream().filter(u -> !u.header().isTypeUnit()).toList();
            long total = units.isEmpty() ? 0 : units.get(units.size() - 1).header().endOffset() - units.get(0).offset();
            if (total >= PROGRESS_THRESHOLD) {
                progress.started(total, units.size());
                told = true;
            }
            long bytes = 0;
            for (Unit u : units) {
                lineTable(u).ifPresent(LineTable::rowCount);
                indexOf(u);
                done++;
                bytes += u.header().endOffset() - u.offset();
                if (told) {
                    progress.advanced(bytes, total, u.name());
                }
            }
        } catch (DwarfException | IndexOutOfBoundsException e) {
            LOG.log(Level.FINE, "prefetch of " + debugElf + " stopped", e);
        } finally {
            if (told) {
                progress.finished(done);
            }
        }
    }

    /** The innermost function whose code holds a link-time address, if the DWARF has it. */
    public Optional<Function> functionAt(long address) {
        return unitFunctions(address).map(i -> i.functionAt(address));
    }

    private DebugInfo debugInfo() {
        DebugInfo d = debugInfo;
        if (d == null) {
            synchronized (this) {
                if (debugInfo == null) {
                    ByteBuffer aranges = debugElf.data(".debug_aranges").orElse(ByteBuffer.allocate(0));
                    debugInfo = DebugInfo.of(DwarfSections.of(debugElf), aranges);
                }
                d = debugInfo;
            }
        }
        return d;
    }

    private LineSection lines() {
        LineSection l = lineSection;
        if (l == null) {
            synchronized (this) {
                if (lineSection == null) {
                    lineSection = new LineSection(DwarfSections.of(debugElf));
                }
                l = lineSection;
            }
        }
        return l;
    }

    /** The line table of a compilation unit, with its comp_dir for DWARF 4 relative paths. */
    Optional<LineTable> lineTable(Unit unit) {
        long offset = unit.stmtList();
        if (offset < 0) {
            return Optional.empty();
        }
        return Optional.of(lines().program(offset, unit.compDir()).table());
    }

    /**
     * Line tables of the units whose line program names {@code file}: only the headers of the
     * others are read (placing one breakpoint decodes the tables of its file, not every unit's).
     */
    List<LineTable> lineTablesNaming(String file) {
        List<LineTable> out = new ArrayList<>();
        if (!hasDebugInfo()) {
            return out;
        }
        for (Unit u : debugInfo().units()) {
            long offset = u.stmtList();
            if (!u.header().isTypeUnit() && offset >= 0) {
                dev.quiesce.symbols.dwarf.LineProgram program = lines().program(offset, u.compDir());
                if (program.headerNamesFile(file)) {
                    out.add(program.table());
                }
            }
        }
        return out;
    }

    /** Line tables of every unit that has one. */
    List<LineTable> allLineTables() {
        List<LineTable> out = new ArrayList<>();
        if (!hasDebugInfo()) {
            return out;
        }
        for (Unit u : debugInfo().units()) {
            if (!u.header().isTypeUnit()) {
                lineTable(u).ifPresent(out::add);
            }
        }
        return out;
    }

    // ---- address → source

    /** The line-table row for an address (link-time), with its file resolved. */
    public Optional<SourcePosition> positionAt(long address) {
        return rowAt(address).map(r -> {
            LineRow row = r.row();
            return new SourcePosition(r.table().file(row.file()).path(), row.line(), row.column());
        });
    }

    /** A line-table row holding an address, in its unit's table. */
    private record RowAt(LineTable table, int index) {
        LineRow row() {
            return table.row(index);
        }
    }

    /**
     * Code a line table marks as line 0 (rustc's and clang's compiler-made code between statements):
     * the run of line-0 rows around {@code address}, as a range of line 0; empty for any other address.
     */
    public Optional<LineRange> lineZeroRangeAt(long address) {
        if (!hasDebugInfo()) {
            return Optional.empty();
        }
        try {
            Unit unit = debugInfo().unitAt(address);
            Optional<LineTable> table = unit == null ? Optional.empty() : lineTable(unit);
            OptionalInt i = table.isEmpty() ? OptionalInt.empty() : table.get().rowIndexFor(address);
            if (i.isEmpty() || table.get().row(i.getAsInt()).line() != 0 || table.get().row(i.getAsInt()).endSequence()) {
                return Optional.empty();
            }
            LineTable t = table.get();
            int first = i.getAsInt();
            while (first > 0 && t.row(first - 1).line() == 0 && !t.row(first - 1).endSequence()) {
                first--;
            }
            int last = i.getAsInt();
            while (last + 1 < t.rowCount() && !t.row(last + 1).endSequence() && t.row(last + 1).line() == 0) {
                last++;
            }
            return Optional.of(new LineRange(t.file(t.row(first).file()).path(), 0, t.row(first).address(), t.rowEnd(last)));
        } catch (DwarfException | IndexOutOfBoundsException e) {
            LOG.log(Level.FINE, "no line-0 range at 0x" + Long.toHexString(address) + " in " + debugElf, e);
            return Optional.empty();
        }
    }

    /** The row of the line table that describes a link-time address (line 0: none). */
    private Optional<RowAt> rowAt(long address) {
        if (!hasDebugInfo()) {
            return Optional.empty();
        }
        try {
            Unit unit = debugInfo().unitAt(address);
            Optional<LineTable> table = unit == null ? Optional.empty() : lineTable(unit);
            if (table.isEmpty()) {
                return Optional.empty();
            }
            OptionalInt i = table.get().rowIndexFor(address);
            if (i.isEmpty() || table.get().row(i.getAsInt()).line() == 0) {
                return Optional.empty();
            }
            return Optional.of(new RowAt(table.get(), i.getAsInt()));
        } catch (DwarfException | IndexOutOfBoundsException e) {
            LOG.log(Level.FINE, "no line for 0x" + Long.toHexString(address) + " in " + debugElf, e);
            return Optional.empty();
        }
    }

    /**
     * The source-level frames at an address, innermost first: inlined copies, then the
     * function that holds them. {@code exact} is false for return addresses (caller frames): the
     * line is looked up at address-1, inside the call instruction, as gdb does.
     */
    public List<CodeFrame> framesAt(long address, boolean exact) {
        long lookup = exact ? address : address - 1;
        List<CodeFrame> out = new ArrayList<>();
        Optional<FunctionIndex> index = unitFunctions(lookup);
        Function function = index.map(i -> i.functionAt(lookup)).orElse(null);
        if (function == null) {
            out.add(new CodeFrame(symbolName(lookup).orElse("??"), positionAt(lookup), false));
            return out;
        }
        List<InlinedCall> chain = index.get().inlineChain(lookup);
        Optional<SourcePosition> position = positionAt(lookup);
        if (exact) {
            // At the first instruction of an inlined copy the call has not happened yet (gdb's
            // skip_inline_frames): the frame is the caller's, at the line of the call.
            int skipped = 0;
            while (skipped < chain.size() && chain.get(skipped).entryPc() == address) {
                position = callSite(chain.get(skipped)).or(() -> positionAt(address));
                skipped++;
            }
            chain = chain.subList(skipped, chain.size());
        }
        for (InlinedCall call : chain) {
            out.add(new CodeFrame(displayName(call.qualifiedName(), call.name(), call.linkageName()), position, true));
            position = callSite(call);
        }
        out.add(new CodeFrame(displayName(function.qualifiedName(), function.name(), function.linkageName()), position, false));
        return out;
    }

    private Optional<SourcePosition> callSite(InlinedCall call) {
        if (call.callLine() <= 0) {
            return Optional.empty();
        }
        try {
            Optional<LineTable> table = lineTable(call.unit());
            if (table.isEmpty()) {
                return Optional.empty();
            }
            LineFile file = table.get().file(call.callFile());
            return Optional.of(new SourcePosition(file.path(), call.callLine(), call.callColumn()));
        } catch (DwarfException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static String displayName(String qualified, String name, String linkage) {
        if (qualified != null && !qualified.isEmpty()) {
            return qualified;
        }
        if (name != null && !name.isEmpty()) {
            return name;
        }
        if (linkage == null) {
            return "??";
        }
        String demangled = Demangler.demangle(linkage);
        return demangled == null ? linkage : demangled;
    }

    /** The symbol-table name of the function at an address, demangled. */
    public Optional<String> symbolName(long address) {
        return functionSymbols().at(address).map(ModuleSymbols::displayName);
    }

    /**
     * The function symbol at a link-time address with the offset into it, as gdb prints a code
     * address ({@code main}, {@code sqlite3RunParser+104}); {@link #symbolName} names frames.
     */
    public Optional<String> symbolWithOffset(long address) {
        return functionSymbols().at(address).map(s -> address == s.value()
                ? displayName(s) : displayName(s) + "+" + (address - s.value()));
    }

    private static String displayName(dev.quiesce.symbols.elf.ElfSymbol s) {
        String n = s.name();
        int at = n.indexOf('@');
        String plain = at > 0 ? n.substring(0, at) : n;
        String demangled = Demangler.demangle(plain);
        return demangled == null ? plain : demangled;
    }

    /**
     * The address range of the source line at a link-time address: the rows around it with the
     * same file and line, contiguous in address (a step over the line runs until it leaves
     * this range). Empty without line information.
     */
    public Optional<LineRange> lineRangeAt(long address) {
        return rowAt(address).map(r -> {
            LineTable t = r.table();
            LineRow row = r.row();
            int first = r.index();
            while (first > 0 && sameLine(t.row(first - 1), row) && !t.row(first - 1).endSequence()) {
                first--;
            }
            int last = r.index();
            while (last + 1 < t.rowCount() && !t.row(last + 1).endSequence() && sameLine(t.row(last + 1), row)) {
                last++;
            }
            return new LineRange(t.file(row.file()).path(), row.line(), t.row(first).address(), t.rowEnd(last));
        });
    }

    private static boolean sameLine(LineRow a, LineRow b) {
        return a.line() == b.line() && a.file() == b.file();
    }

    /** Whether a link-time address starts a statement (an is_stmt row begins exactly there). */
    public boolean isStatementStart(long address) {
        return rowAt(address).map(RowAt::row).filter(row -> row.address() == address && row.isStmt()).isPresent();
    }

    /** A source line's code around an address: [low, high) at link time. */
    public record LineRange(String path, int line, long low, long high) {
        public boolean contains(long address) {
            return address >= low && address < high;
        }
    }

    // ---- source → addresses (BreakpointPlacement)

    /**
     * Where a breakpoint on file:line goes, as gdb places it: the first line at or after
     * {@code line} with code; in each block (function or inlined copy) the lowest address that
     * starts it; an address at a function's entry moves past the prologue (and to that line).
     */
    public Optional<LineAddresses> addressesForLine(String file, int line) {
        return placement.addressesForLine(file, line);
    }

    /** The lines of a file in [from, to] that have code (DAP breakpointLocations). */
    public List<Integer> linesWithCode(String file, int from, int to) {
        TreeSet<Integer> out = new TreeSet<>();
        for (LineTable t : lineTablesNaming(file)) {
            if (t.hasFile(file)) {
                out.addAll(t.linesWithCode(file, from, to));
            }
        }
        return new ArrayList<>(out);
    }

    /** Full paths of every source file the line tables name (DAP loadedSources). */
    public Set<String> sourceFiles() {
        Set<String> out = new LinkedHashSet<>();
        for (LineTable t : allLineTables()) {
            for (LineFile f : t.files()) {
                if (f != null && f.path() != null && !f.path().isEmpty() && !f.path().startsWith("<")) {
                    out.add(f.path());
                }
            }
        }
        return out;
    }

    /** A breakpoint line, and the link-time addresses that start it. */
    public record LineAddresses(String path, int line, List<Long> addresses) {
    }

    // ---- functions by name (BreakpointPlacement)

    /**
     * Where a breakpoint on a function goes: its entry after the prologue, for every function
     * of that name (plain, qualified like {@code geo::Rect::area}, or linkage name), and the
     * start of each inlined copy; symbol-table functions without DWARF give their first instruction.
     */
    public List<Long> functionEntries(String name) {
        return placement.functionEntries(name);
    }

    /** A function's breakpoint address: the entry for optimized code, else past its prologue's line. */
    public long afterPrologue(Function f) {
        return placement.afterPrologue(f);
    }

}
