package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.symbols.elf.ElfFile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every DIE this reader walks (offset, depth, tag, name) matches readelf's dump. */
class DebugInfoTest {

    private record Seen(long offset, int depth, int tag, String name) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4", "sym_c_gz", "sym_cpp", "sym_cpp_o2", "libplugin.so", "sqlite_demo"})
    void everyDieMatchesReadelf(String program) {
        DebugInfo info = DebugInfo.of(ElfFile.open(Oracle.bin(program)));
        List<Seen> ours = new ArrayList<>();
        for (Unit u : info.units()) {
            walk(u.root(), 0, ours);
        }
        List<Oracle.ReadelfDie> theirs = Oracle.readelfDies(Oracle.bin(program));
        assertEquals(theirs.size(), ours.size(), "DIE count");
        for (int i = 0; i < ours.size(); i++) {
            Seen s = ours.get(i);
            Oracle.ReadelfDie r = theirs.get(i);
            assertEquals(r.offset(), s.offset(), "offset of DIE #" + i);
            assertEquals(r.depth(), s.depth(), "depth at 0x" + Long.toHexString(s.offset()));
            String expectedName = r.attributes().get("DW_AT_name");
            assertEquals(expectedName, s.name(), "name at 0x" + Long.toHexString(s.offset()));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4"})
    void unitRootAttributes(String program) {
        DebugInfo info = DebugInfo.of(ElfFile.open(Oracle.bin(program)));
        assertEquals(2, info.units().size());
        Unit main = info.units().get(0);
        assertEquals("src/sym_main.c", main.name());
        assertNotNull(main.compDir());
        assertTrue(main.producer().startsWith("GNU C"), main.producer());
        assertEquals(program.equals("sym_c_dwarf4") ? 4 : 5, main.version());
        assertEquals(0, main.stmtList());
        assertTrue(info.units().get(1).stmtList() > 0);
        // Every attribute of every DIE decodes without error.
        for (Unit u : info.units()) {
            decodeAll(u.root());
        }
    }

    private static void decodeAll(Die d) {
        d.attributes();
        for (Die c : d.children()) {
            decodeAll(c);
        }
    }

    private static void walk(Die d, int depth, List<Seen> out) {
        out.add(new Seen(d.offset(), depth, d.tag(), d.name()));
        for (Die c : d.children()) {
            walk(c, depth + 1, out);
        }
    }
}
