package dev.quiesce.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.engine.TestPrograms;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** File:line and function lookups of {@link ModuleSymbols}, with gdb's breakpoint placement as the oracle. */
class ModuleSymbolsTest {

    private static ModuleSymbols symbols(String program) {
        return ModuleSymbols.of(ObjectFiles.shared().open(TestPrograms.path(program)));
    }

    private static Path path(String program) {
        return TestPrograms.path(program);
    }

    @ParameterizedTest
    @CsvSource({
        "sym_c, factorial", "sym_c, sum_to", "sym_c, apply", "sym_c, main", "sym_c, square", "sym_c, util_distance",
        "sym_c_dwarf4, factorial", "sym_c_dwarf4, util_distance", "sym_c_gz, sum_to",
        "sym_cpp, main", "sym_cpp, total_area", "sym_cpp, geo::Rect::area", "sym_cpp, geo::detail::twice<int>",
        "sym_c_o2, sum_to", "sym_c_o2, util_distance", "sqlite_demo, sqlite3BtreeInsert", "sqlite_demo, sqlite3_exec",
    })
    void functionEntryIsWhereGdbPutsTheBreakpoint(String program, String function) throws Exception {
        List<GdbOracle.Location> gdb = GdbOracle.breakpoint(path(program), function);
        assertFalse(gdb.isEmpty(), "gdb found " + function);
        List<Long> ours = symbols(program).functionEntries(function);
        // gdb also lists inlined copies of the function; every out-of-line entry must be one of its locations.
        TreeSet<Long> gdbAddresses = gdb.stream().map(GdbOracle.Location::address).collect(Collectors.toCollection(TreeSet::new));
        assertFalse(ours.isEmpty(), function);
        for (long a : ours) {
            assertTrue(gdbAddresses.contains(a), function + ": ours 0x" + Long.toHexString(a) + ", gdb " + hex(gdbAddresses));
        }
    }

    /** gdb's locations for a function at -O2 include its inlined copies: the same set here. */
    @ParameterizedTest
    @CsvSource({"sym_c_o2, factorial", "sym_c_o2, sum_to", "sym_c_o2, util_abs", "sym_cpp_o2, total_area"})
    void functionBreakpointsCoverInlinedCopiesAsGdbDoes(String program, String function) throws Exception {
        TreeSet<Long> gdb = GdbOracle.breakpoint(path(program), function).stream().map(GdbOracle.Location::address)
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(gdb.isEmpty());
        assertEquals(hex(gdb), hex(new TreeSet<>(symbols(program).functionEntries(function))));
    }

    @ParameterizedTest
    @CsvSource({
        "sym_c, sym_main.c, 30", "sym_c, sym_main.c, 26", "sym_c, sym_main.c, 44", "sym_c, sym_util.c, 7",
        "sym_c, sym_util.h, 6", "sym_c_dwarf4, sym_main.c, 30", "sym_c_gz, sym_util.c, 8",
        "sym_c_o2, sym_main.c, 30", "sym_c_o2, sym_main.c, 46",
        "sym_cpp, sym_shapes.cpp, 44", "sym_cpp, sym_shapes.cpp, 16", "sym_cpp_o2, sym_shapes.cpp, 53",
        "sqlite_demo, sqlite3.c, 82560", "sqlite_demo, sqlite_demo.c, 19",
    })
    void lineBreakpointAddressesAndMovedLineMatchGdb(String program, String file, int line) throws Exception {
        List<GdbOracle.Location> gdb = GdbOracle.breakpoint(path(program), file + ":" + line);
        Optional<ModuleSymbols.LineAddresses> ours = symbols(program).addressesForLine(file, line);
        if (gdb.isEmpty()) {
            assertTrue(ours.isEmpty() || ours.get().addresses().isEmpty(), "gdb finds no code for " + file + ":" + line);
            return;
        }
        assertTrue(ours.isPresent(), file + ":" + line);
        assertEquals(gdb.get(0).line(), ours.get().line(), "the line a breakpoint moves to");
        TreeSet<Long> gdbAddresses = gdb.stream().map(GdbOracle.Location::address).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(hex(gdbAddresses), hex(new TreeSet<>(ours.get().addresses())));
        assertTrue(ours.get().path().endsWith("/" + file), ours.get().path());
    }

    @Test
    void framesAtAnInlinedAddressNameTheInlinedFunctionThenItsCallerAtTheCallLine() {
        ModuleSymbols s = symbols("sym_c_o2");
        long inlined = -1;
        for (long a : s.addressesForLine("sym_util.h", 6).map(ModuleSymbols.LineAddresses::addresses).orElse(List.of())) {
            inlined = a;
        }
        assertTrue(inlined > 0, "util_abs has code at -O2");
        // At the copy's first instruction the call has not started: the caller's frame, at the call line.
        List<CodeFrame> atEntry = s.framesAt(inlined, true);
        assertEquals(1, atEntry.size(), atEntry.toString());
        assertEquals("util_distance", atEntry.get(0).function());
        assertFalse(atEntry.get(0).inlined());
        // Further in, the pc is inside the inlined copy: util_abs's frame, then util_distance's.
        List<CodeFrame> frames = List.of();
        for (long a = inlined + 1; a < inlined + 64 && frames.size() < 2; a++) {
            frames = s.framesAt(a, true);
        }
        assertTrue(frames.size() >= 2, frames.toString());
        assertEquals("util_abs", frames.get(0).function());
        assertTrue(frames.get(0).inlined());
        assertTrue(frames.get(0).source().isPresent()); // the line: gdb's reading of a shared address (sym_util.c:8 here)
        CodeFrame caller = frames.get(frames.size() - 1);
        assertEquals("util_distance", caller.function());
        int callLine = caller.source().orElseThrow().line();
        assertTrue(callLine == 6 || callLine == 7, "called from util_distance's lines 6-7, got " + callLine);
        assertTrue(caller.source().get().path().endsWith("sym_util.c"));
    }

    @Test
    void codeWithoutDebugInfoIsNamedFromTheSymbolTable(@TempDir Path tmp) throws Exception {
        Path stripped = tmp.resolve("sym_c");
        run("objcopy", "--strip-debug", path("sym_c").toString(), stripped.toString());
        ModuleSymbols s = ModuleSymbols.of(ObjectFiles.shared().open(stripped));
        assertFalse(s.hasDebugInfo());
        long factorial = s.functionSymbols().named("factorial").get(0).value();
        List<CodeFrame> frames = s.framesAt(factorial + 4, true);
        assertEquals(List.of(new CodeFrame("factorial", Optional.empty(), false)), frames);
        assertEquals(List.of(factorial), s.functionEntries("factorial"), "no DWARF: the symbol's address");
    }

    @Test
    void aSeparateDebugFileNamedByGnuDebuglinkIsFoundAndUsed(@TempDir Path tmp) throws Exception {
        Path debug = tmp.resolve("sym_c.debug");
        Path program = tmp.resolve("sym_c");
        run("objcopy", "--only-keep-debug", path("sym_c").toString(), debug.toString());
        run("objcopy", "--strip-debug", "--add-gnu-debuglink=" + debug, path("sym_c").toString(), program.toString());
        ModuleSymbols s = ModuleSymbols.of(ObjectFiles.shared().open(program));
        assertTrue(s.elf().section(".debug_info").isEmpty(), "the program itself has no DWARF");
        assertTrue(s.hasDebugInfo());
        assertEquals(symbols("sym_c").functionEntries("sum_to"), s.functionEntries("sum_to"));
        assertEquals(symbols("sym_c").addressesForLine("sym_main.c", 30), s.addressesForLine("sym_main.c", 30));
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }

    @Test
    void sourceFilesListTheCompilationUnitsAndTheirHeaders() {
        var files = symbols("sym_c").sourceFiles();
        assertTrue(files.stream().anyMatch(f -> f.endsWith("/src/sym_main.c")), files.toString());
        assertTrue(files.stream().anyMatch(f -> f.endsWith("/src/sym_util.h")), files.toString());
    }

    private static String hex(java.util.Collection<Long> values) {
        return values.stream().map(v -> "0x" + Long.toHexString(v)).collect(Collectors.joining(","));
    }

    /** A code address inside a function reads as gdb's {@code info symbol} gives it: name+offset. */
    @Test
    void codeAddressesNameTheirFunctionAndOffsetAsGdbDoes() throws Exception {
        ModuleSymbols sqlite = symbols("sqlite_demo");
        long start = sqlite.functionEntries("sqlite3RunParser").get(0);
        long entry = functionSymbolStart(path("sqlite_demo"), "sqlite3RunParser");
        for (long address : List.of(entry, entry + 1, start + 7, entry + 104)) {
            String gdb = GdbOracle.run(path("sqlite_demo"), "info symbol 0x" + Long.toHexString(address))
                    .replaceFirst(" in section .*", "").replace(" + ", "+").strip();
            assertEquals(gdb, sqlite.symbolWithOffset(address).orElse("none"), "0x" + Long.toHexString(address));
        }
    }

    private static long functionSymbolStart(Path program, String name) throws Exception {
        String line = GdbOracle.run(program, "info address " + name);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("0x[0-9a-f]+").matcher(line);
        assertTrue(m.find(), line);
        return Long.parseLong(m.group().substring(2), 16);
    }
}
