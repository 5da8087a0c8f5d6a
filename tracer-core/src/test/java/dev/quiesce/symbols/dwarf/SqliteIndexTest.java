package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.symbols.elf.ElfFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The large program: SQLite amalgamation at -O2 (about 1.5 MB of .debug_info). */
class SqliteIndexTest {

    @Test
    void indexesWholeProgramQuickly() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long heapBefore = rt.totalMemory() - rt.freeMemory();
        long t0 = System.nanoTime();
        ElfFile elf = ElfFile.open(Oracle.bin("sqlite_demo"));
        DebugInfo info = DebugInfo.of(elf);
        long t1 = System.nanoTime();
        FunctionIndex index = FunctionIndex.build(info);
        long t2 = System.nanoTime();
        System.gc();
        long heapAfter = rt.totalMemory() - rt.freeMemory();
        int infoBytes = info.sections().info().limit();
        System.out.printf("sqlite_demo: .debug_info %d bytes, %d units, headers %.1f ms, function index %.1f ms,"
                        + " %d functions, heap +%.1f MB (including the decompressed sections)%n",
                infoBytes, info.units().size(), (t1 - t0) / 1e6, (t2 - t1) / 1e6, index.functions().size(),
                (heapAfter - heapBefore) / 1e6);
        assertTrue(infoBytes > 1_000_000);
        assertTrue(index.functions().size() > 1000);
        assertFalse(index.functionsNamed("sqlite3_open").isEmpty());
        assertTrue(FunctionIndexTest.assertSymbolsMatch("sqlite_demo", 1000) >= 1000);
    }

    @Test
    void subprogramsMatchReadelf() {
        FunctionIndexTest.assertReadelfSubprogramsMatch("sqlite_demo");
    }

    @Test
    void everyScopeAndLocationListReads() {
        FunctionIndex index = Oracle.index("sqlite_demo");
        long t0 = System.nanoTime();
        int variables = 0;
        int lists = 0;
        for (Function f : index.functions()) {
            for (Variable v : all(f.scope())) {
                variables++;
                if (v.location().isList()) {
                    v.location().entries();
                    lists++;
                }
            }
        }
        System.out.printf("sqlite_demo: %d variables, %d location lists read in %.1f ms%n", variables, lists,
                (System.nanoTime() - t0) / 1e6);
        assertTrue(lists > 1000);
        Function open = index.functionsNamed("sqlite3_open").get(0);
        assertEquals(List.of("zFilename", "ppDb"), open.scope().variables().stream().map(Variable::name).toList());
        assertEquals(open, index.functionAt(open.entryPc()));
        assertEquals("sqlite3.c", java.nio.file.Path.of(index.debugInfo().unitAt(open.entryPc()).name())
                .getFileName().toString());
    }

    private static List<Variable> all(Scope s) {
        List<Variable> out = new java.util.ArrayList<>(s.variables());
        s.children().forEach(c -> out.addAll(all(c)));
        return out;
    }
}
