package dev.quiesce.symbols.unwind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.engine.TestPrograms;
import dev.quiesce.symbols.elf.ElfFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every FDE of .eh_frame, its range and every row of its table, against readelf. */
class CfiOracleTest {
    private static final Map<String, Integer> REGISTERS = new HashMap<>();

    static {
        for (int r = 0; r < Dwarf86Registers.COUNT; r++) {
            REGISTERS.put(Dwarf86Registers.name(r), r);
        }
    }

    /** gcc -fno-asynchronous-unwind-tables -fno-unwind-tables -g: the functions' CFI is in .debug_frame. */
    @org.junit.jupiter.api.Test
    void everyDebugFrameFdeAndRowMatchesReadelf() throws Exception {
        Path path = TestPrograms.path("sym_c_debug_frame");
        ElfFile elf = ElfFile.open(path);
        CallFrameTable table = ModuleCfi.debugFrame(elf).orElseThrow();
        List<ReadelfFrames.Entry> expected = ReadelfFrames.frames(path, ".debug_frame");
        List<Fde> fdes = table.section().fdes();
        assertEquals(expected.size(), fdes.size(), "FDE count");
        assertTrue(fdes.size() >= 6, "sym_c's functions: " + fdes.size());
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < fdes.size(); i++) {
            Fde fde = fdes.get(i);
            ReadelfFrames.Entry e = expected.get(i);
            assertEquals(e.pcBegin(), fde.pcBegin());
            assertEquals(e.pcEnd(), fde.pcEnd());
            assertEquals(fde.offset(), table.fdeFor(fde.pcBegin()).orElseThrow().offset());
            for (Map.Entry<Long, Map<String, String>> row : e.rows().entrySet()) {
                UnwindRow ours = CfaInterpreter.rowAt(fde, row.getKey(), table.section().bases());
                String cfa = row.getValue().get("CFA");
                if (cfa != null && !cfa.equals(ours.cfa().toString())) {
                    mismatches.add("FDE at 0x" + Long.toHexString(fde.pcBegin()) + ": readelf " + cfa + ", ours " + ours.cfa());
                }
                String ra = row.getValue().get("ra");
                RegisterRule rule = ours.rule(fde.cie().returnAddressRegister());
                if (ra != null && !ra.equals(rule == null ? "u" : rule.toString())) {
                    mismatches.add("FDE at 0x" + Long.toHexString(fde.pcBegin()) + " ra: readelf " + ra + ", ours " + rule);
                }
            }
        }
        assertEquals(List.of(), mismatches);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sig_frames", "sym_c", "sym_c_o2", "sym_cpp", "sym_cpp_o2", "libplugin.so",
        "/lib/x86_64-linux-gnu/libc.so.6", "/lib64/ld-linux-x86-64.so.2"})
    void everyFdeAndRowMatchesReadelf(String program) throws Exception {
        Path path = program.startsWith("/") ? Path.of(program) : TestPrograms.path(program);
        ElfFile elf = ElfFile.open(path);
        CallFrameTable table = ModuleCfi.ehFrame(elf).orElseThrow();
        assertTrue(table.hasSearchTable(), "the toolchain writes .eh_frame_hdr");
        CallFrameTable unindexed = CallFrameTable.ehFrame(table.section(), Optional.empty(),
                elf.section(".eh_frame").orElseThrow().address());
        List<ReadelfFrames.Entry> expected = ReadelfFrames.ehFrame(path);
        List<Fde> fdes = table.section().fdes();
        assertEquals(expected.size(), fdes.size(), "FDE count");
        int rows = 0;
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < fdes.size(); i++) {
            Fde fde = fdes.get(i);
            ReadelfFrames.Entry e = expected.get(i);
            assertEquals(e.offset(), fde.offset(), "FDE #" + i);
            assertEquals(e.pcBegin(), fde.pcBegin(), "start of FDE at 0x" + Long.toHexString(e.offset()));
            assertEquals(e.pcEnd(), fde.pcEnd(), "end of FDE at 0x" + Long.toHexString(e.offset()));
            if (fde.pcEnd() > fde.pcBegin()) {
                for (long pc : new long[] {fde.pcBegin(), fde.pcEnd() - 1}) {
                    assertEquals(fde.offset(), table.fdeFor(pc).orElseThrow().offset(), "hdr lookup of " + pc);
                    assertEquals(fde.offset(), unindexed.fdeFor(pc).orElseThrow().offset(), "index lookup of " + pc);
                }
            }
            for (Map.Entry<Long, Map<String, String>> row : e.rows().entrySet()) {
                UnwindRow ours = CfaInterpreter.rowAt(fde, row.getKey(), table.section().bases());
                rows++;
                for (Map.Entry<String, String> cell : row.getValue().entrySet()) {
                    String column = cell.getKey();
                    String actual;
                    if (column.equals("CFA")) {
                        actual = ours.cfa().toString();
                    } else {
                        Integer reg = column.equals("ra") ? (Integer) fde.cie().returnAddressRegister() : REGISTERS.get(column);
                        if (reg == null) {
                            continue;
                        }
                        RegisterRule rule = ours.rule(reg);
                        actual = rule == null ? "u" : rule.toString();
                    }
                    if (!actual.equals(cell.getValue()) && mismatches.size() < 20) {
                        mismatches.add("FDE 0x" + Long.toHexString(fde.offset()) + " at 0x" + Long.toHexString(row.getKey())
                                + " " + column + ": readelf " + cell.getValue() + ", ours " + actual);
                    }
                }
            }
        }
        assertEquals(List.of(), mismatches);
        System.out.printf("%s: %d FDEs, %d rows match readelf%n", path.getFileName(), fdes.size(), rows);
    }
}
