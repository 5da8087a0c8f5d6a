package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.engine.TestPrograms;
import dev.quiesce.symbols.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineTableTest {

    private static LineSection lines(String program) {
        return new LineSection(DwarfSections.of(ElfFile.open(TestPrograms.path(program))));
    }

    /** Our rows of every program, in section order, in objdump's terms. */
    private static List<ObjdumpLines.Row> ourRows(LineSection section) {
        List<ObjdumpLines.Row> out = new ArrayList<>();
        for (LineProgram program : section.programs()) {
            LineTable table = program.table();
            for (int i = 0; i < table.rowCount(); i++) {
                LineRow row = table.row(i);
                LineFile file = table.file(row.file());
                String name = file == null ? "<none>" : file.baseName();
                int line = row.endSequence() ? ObjdumpLines.Row.END_SEQUENCE : row.line();
                out.add(new ObjdumpLines.Row(name, line, row.address(), !row.endSequence() && row.isStmt()));
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4", "sym_c_gz", "sym_cpp", "sym_cpp_o2", "libplugin.so", "sqlite_demo"})
    void everyRowMatchesObjdump(String program) throws Exception {
        List<ObjdumpLines.Row> expected = ObjdumpLines.decodedLines(TestPrograms.path(program));
        List<ObjdumpLines.Row> actual = ourRows(lines(program));
        assertFalse(expected.isEmpty(), "objdump printed no line rows for " + program);
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                assertEquals(expected.get(i), actual.get(i), program + ": row " + i + " differs");
            }
        }
        assertEquals(expected.size(), actual.size(), program + ": number of rows");
    }

    /**
     * For every address range objdump shows (the last row at an address, up to the next
     * address; the last statement row there if that one is not a statement), rowFor at both
     * ends of the range finds that row's line and file.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c_o2", "sym_cpp_o2", "sqlite_demo"})
    void rowForAgreesWithObjdumpRanges(String program) throws Exception {
        List<ObjdumpLines.Row> expected = ObjdumpLines.decodedLines(TestPrograms.path(program));
        List<LineTable> tables = lines(program).programs().stream().map(LineProgram::table).toList();
        int checked = 0;
        for (int i = 0; i + 1 < expected.size(); i++) {
            ObjdumpLines.Row row = expected.get(i);
            ObjdumpLines.Row next = expected.get(i + 1);
            if (row.line() == ObjdumpLines.Row.END_SEQUENCE || next.address() == row.address()) {
                continue;
            }
            // A non-statement row at an address shared with statement rows reads as the last of those (gdb's rule).
            for (int j = i - 1; !row.isStmt() && j >= 0 && expected.get(j).address() == row.address()
                    && expected.get(j).line() != ObjdumpLines.Row.END_SEQUENCE; j--) {
                if (expected.get(j).isStmt()) {
                    row = expected.get(j);
                }
            }
            for (long a : new long[] {row.address(), next.address() - 1}) {
                ObjdumpLines.Row found = null;
                for (LineTable t : tables) {
                    Optional<LineRow> r = t.rowFor(a);
                    if (r.isPresent()) {
                        found = new ObjdumpLines.Row(t.file(r.get().file()).baseName(), r.get().line(), row.address(), r.get().isStmt());
                        break;
                    }
                }
                assertEquals(row, found, program + ": rowFor(0x" + Long.toHexString(a) + ")");
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    // --- sym_c: src/sym_main.c and src/sym_util.c, sym_util.h's inline util_abs ---

    private static Path source(String name) {
        return Path.of(System.getProperty("quiesce.testprograms.dir"), "..", "..", "src", name);
    }

    /** The 1-based number of the first line of a test source holding {@code text}. */
    private static int lineOf(String file, String text) throws IOException {
        List<String> lines = Files.readAllLines(source(file));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " not in " + file);
    }

    private static LineTable tableFor(LineSection section, String file) {
        for (LineProgram p : section.programs()) {
            if (p.table().hasFile(file)) {
                return p.table();
            }
        }
        throw new AssertionError("no line program lists " + file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4", "sym_c_gz"})
    void sumToLoopLine(String program) throws IOException {
        int loop = lineOf("sym_main.c", "s += i");
        LineTable table = tableFor(lines(program), "sym_main.c");
        List<Long> addresses = table.addressesForLine("sym_main.c", loop);
        assertFalse(addresses.isEmpty(), "no address starts line " + loop);
        for (long a : addresses) {
            Optional<LineRow> row = table.rowFor(a);
            assertTrue(row.isPresent(), "no row for 0x" + Long.toHexString(a));
            assertEquals(loop, row.get().line(), "row for 0x" + Long.toHexString(a));
            assertFalse(row.get().endSequence());
        }
        assertEquals(addresses, table.addressesForLine("src/sym_main.c", loop));
        assertEquals(List.of(), table.addressesForLine("main.c", loop), "a basename matches only whole components");
    }

    @Test
    void rowForCoversEveryAddressOfTheLoopAtO0() throws IOException {
        int loop = lineOf("sym_main.c", "s += i");
        LineTable table = tableFor(lines("sym_c"), "sym_main.c");
        long start = table.addressesForLine("sym_main.c", loop).get(0);
        long next = table.addressesForLine("sym_main.c", loop + 1).get(0);
        for (long a = start; a < next; a++) {
            assertEquals(loop, table.rowFor(a).orElseThrow().line(), "0x" + Long.toHexString(a));
        }
        assertEquals(loop + 1, table.rowFor(next).orElseThrow().line());
    }

    @Test
    void rowForOutsideAnySequenceIsEmpty() {
        LineTable table = tableFor(lines("sym_c"), "sym_main.c");
        int lastSeqEnd = table.sequenceEndRow(table.sequenceCount() - 1) - 1;
        long end = table.row(lastSeqEnd).address();
        assertTrue(table.row(lastSeqEnd).endSequence());
        assertEquals(Optional.empty(), table.rowFor(end), "the end-sequence address is outside the sequence");
        assertEquals(Optional.empty(), table.rowFor(0x10));
        assertTrue(table.rowFor(end - 1).isPresent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_dwarf4"})
    void lineWithoutCodeMovesToTheNextLineWithCode(String program) throws IOException {
        int signature = lineOf("sym_main.c", "int sum_to(int n)");
        int blank = signature - 1;
        assertTrue(Files.readAllLines(source("sym_main.c")).get(blank - 1).isBlank());
        LineTable table = tableFor(lines(program), "sym_main.c");
        assertEquals(List.of(), table.addressesForLine("sym_main.c", blank));
        assertEquals(OptionalInt.of(signature + 1), table.lineWithCode("sym_main.c", blank), "moves to sum_to's '{'");
        assertEquals(OptionalInt.of(signature + 1), table.lineWithCode("sym_main.c", signature + 1));
        assertEquals(OptionalInt.empty(), table.lineWithCode("sym_main.c", 100000));
    }

    @Test
    void linesWithCodeInARange() throws IOException {
        int signature = lineOf("sym_main.c", "int sum_to(int n)");
        int loop = lineOf("sym_main.c", "s += i");
        LineTable table = tableFor(lines("sym_c"), "sym_main.c");
        // sum_to at -O0: '{', "int s = 0;", the loop, "return s;", '}'
        assertEquals(List.of(signature + 1, signature + 2, loop, loop + 1, loop + 2),
                table.linesWithCode("sym_main.c", signature - 1, loop + 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4"})
    void inlineFunctionInAHeaderHasAddresses(String program) throws IOException {
        int body = lineOf("sym_util.h", "return v < 0 ? -v : v;");
        LineSection section = lines(program);
        // sym_main.c's program lists sym_util.h too but has no code from it
        LineTable mainTable = tableFor(section, "sym_main.c");
        assertTrue(mainTable.hasFile("sym_util.h"));
        assertEquals(List.of(), mainTable.addressesForLine("sym_util.h", body));
        List<Long> addresses = section.addressesForLine("sym_util.h", body);
        assertFalse(addresses.isEmpty(), program + ": no address for sym_util.h:" + body);
        int found = 0;
        for (LineProgram p : section.programs()) {
            for (long a : p.table().addressesForLine("src/sym_util.h", body)) {
                // At -O2 several rows share the address; rowFor reads it as gdb does (the last
                // statement row there), which may be the caller's line: the address starts a row.
                LineRow row = p.table().rowFor(a).orElseThrow();
                assertEquals(a, row.address(), "0x" + Long.toHexString(a));
                found++;
            }
        }
        assertEquals(addresses.size(), found);
    }

    @Test
    void dwarf5PathsAreFullAndFileZeroIsThePrimarySource() {
        LineProgram main = lines("sym_c").programs().get(0);
        assertEquals(5, main.header().version());
        LineFile primary = main.table().file(0);
        assertTrue(primary.path().startsWith("/"), primary.path());
        assertTrue(primary.path().endsWith("/test-programs/src/sym_main.c"), primary.path());
        assertTrue(main.table().files().stream().anyMatch(f -> f.path().equals("/usr/include/stdio.h")));
    }

    @Test
    void dwarf4PathsUseTheCompilationDirectory() {
        LineSection section = lines("sym_c_dwarf4");
        long offset = section.programOffsets().get(0);
        LineProgram withoutDir = section.program(offset, null);
        assertEquals(4, withoutDir.header().version());
        assertEquals(null, withoutDir.table().file(0), "file 0 means no file before DWARF 5");
        assertEquals("src/sym_main.c", withoutDir.table().file(1).path());
        LineProgram withDir = section.program(offset, "/build/dir");
        assertEquals("/build/dir/src/sym_main.c", withDir.table().file(1).path());
        assertTrue(withDir.table().hasFile("/build/dir/src/sym_main.c"));
    }

    @Test
    void programsAreCachedByOffset() {
        LineSection section = lines("sym_c");
        long offset = section.programOffsets().get(1);
        LineProgram p = section.program(offset, null);
        assertTrue(p == section.program(offset, null));
        assertTrue(p.table() == p.table());
    }

    @Test
    void fileNameMatchingIsBySuffixAtComponentBoundaries() {
        String path = "/work/test-programs/src/sym_main.c";
        assertTrue(FileNameMatcher.matches(path, "sym_main.c"));
        assertTrue(FileNameMatcher.matches(path, "src/sym_main.c"));
        assertTrue(FileNameMatcher.matches(path, "./src/sym_main.c"));
        assertTrue(FileNameMatcher.matches(path, path));
        assertFalse(FileNameMatcher.matches(path, "main.c"));
        assertFalse(FileNameMatcher.matches(path, "/src/sym_main.c"));
        assertFalse(FileNameMatcher.matches(path, ""));
    }

    @Test
    void parsesAllOfSqliteQuickly() {
        DwarfSections sections = DwarfSections.of(ElfFile.open(TestPrograms.path("sqlite_demo")));
        int bytes = sections.line().limit();
        long first = 0;
        long best = Long.MAX_VALUE;
        int rows = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            rows = 0;
            for (LineProgram p : new LineSection(sections).programs()) {
                rows += p.table().rowCount();
            }
            long took = System.nanoTime() - t0;
            first = round == 0 ? took : first;
            best = Math.min(best, took);
        }
        System.out.printf("sqlite_demo: %d bytes of .debug_line, %d rows; parse of all programs: first %.1f ms, best of 5 %.1f ms%n",
                bytes, rows, first / 1e6, best / 1e6);
        assertTrue(rows > 100_000);
    }
}
