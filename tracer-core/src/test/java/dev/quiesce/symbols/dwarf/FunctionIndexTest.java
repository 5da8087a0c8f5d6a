package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The function index against readelf, nm, c++filt, addr2line and gdb on the same binaries. */
class FunctionIndexTest {

    /**
     * Every defined FUNC symbol with a size whose name (or, for "x.cold", x) has a DWARF function
     * has a function with exactly that range, and functionAt finds it at both ends.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4", "sym_c_gz", "sym_cpp", "sym_cpp_o2", "libplugin.so"})
    void functionRangesMatchSymbols(String program) {
        assertSymbolsMatch(program, program.equals("libplugin.so") ? 2 : 5);
    }

    static int assertSymbolsMatch(String program, int atLeast) {
        FunctionIndex index = Oracle.index(program);
        int checked = 0;
        for (ElfSymbol s : ElfFile.open(Oracle.bin(program)).symbols()) {
            if (!s.isFunction() || !s.isDefined() || s.size() == 0) {
                continue;
            }
            String name = s.name().endsWith(".cold") ? s.name().substring(0, s.name().length() - 5) : s.name();
            if (name.contains(".")) {
                continue; // clones (constprop, isra, part) are named after their origin
            }
            List<Function> fs = index.functionsNamed(name);
            if (fs.isEmpty()) {
                continue;
            }
            AddressRange expected = new AddressRange(s.value(), s.value() + s.size());
            assertTrue(fs.stream().anyMatch(f -> f.ranges().contains(expected)),
                    program + ": " + s.name() + " " + expected + " vs " + fs);
            Function first = index.functionAt(expected.low());
            Function last = index.functionAt(expected.high() - 1);
            assertNotNull(first, s.name());
            assertTrue(first.ranges().contains(expected) && last == first, s.name() + " functionAt " + first);
            checked++;
        }
        assertTrue(checked >= atLeast, program + ": only " + checked + " symbols checked");
        return checked;
    }

    /** Every subprogram DIE with code in readelf's dump is a function with the same low/high pc. */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_c_dwarf4", "sym_c_gz", "sym_cpp", "sym_cpp_o2", "libplugin.so"})
    void functionsMatchReadelfSubprograms(String program) {
        assertReadelfSubprogramsMatch(program);
    }

    static void assertReadelfSubprogramsMatch(String program) {
        FunctionIndex index = Oracle.index(program);
        Map<Long, Function> byOffset = new HashMap<>();
        index.functions().forEach(f -> byOffset.put(f.dieOffset(), f));
        int expectedCount = 0;
        for (Oracle.ReadelfDie d : Oracle.readelfDies(Oracle.bin(program))) {
            if (!d.tag().equals("DW_TAG_subprogram")) {
                continue;
            }
            String low = d.attributes().get("DW_AT_low_pc");
            String high = d.attributes().get("DW_AT_high_pc");
            boolean ranges = d.attributes().containsKey("DW_AT_ranges");
            if (low == null && !ranges) {
                continue;
            }
            expectedCount++;
            Function f = byOffset.get(d.offset());
            assertNotNull(f, program + ": no function for DIE 0x" + Long.toHexString(d.offset()));
            if (low != null && high != null) {
                long lo = Oracle.hex(low);
                long hi = lo + Oracle.hex(high); // gcc emits high_pc as a length (DWARF 4+)
                assertEquals(List.of(new AddressRange(lo, hi)), f.ranges(), f.qualifiedName());
            } else {
                assertTrue(f.ranges().size() >= 1, f.qualifiedName());
            }
        }
        assertEquals(expectedCount, index.functions().size(), program + " function count");
    }

    /** gdb names the function containing an address the same way ("info symbol" uses the same code ranges). */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c", "sym_c_o2", "sym_cpp"})
    void functionAtAgreesWithGdb(String program) {
        FunctionIndex index = Oracle.index(program);
        List<String> cmd = new ArrayList<>(List.of("gdb", "-batch", "-nx"));
        List<Long> addrs = new ArrayList<>();
        for (Function f : index.functions()) {
            long a = f.lowPc() + (f.highPc() - f.lowPc()) / 2;
            if (f.contains(a)) {
                addrs.add(a);
                cmd.add("-ex");
                cmd.add("info symbol 0x" + Long.toHexString(a));
            }
        }
        cmd.add(Oracle.bin(program).toString());
        List<String> out = Oracle.run(null, cmd.toArray(String[]::new));
        assertEquals(addrs.size(), out.size(), String.join("\n", out));
        for (int i = 0; i < addrs.size(); i++) {
            Function f = index.functionAt(addrs.get(i));
            if (f.demangledName() == null && f.unitName().endsWith(".cpp") && !f.name().equals("main")) {
                continue; // a lambda's operator() has no linkage name in DWARF; gdb shows the ELF symbol
            }
            // "area() const + 5 in section .text" / "geo::Rect::area() const + 5 in section .text"
            String line = out.get(i);
            String symbol = line.substring(0, line.lastIndexOf(" + "));
            String expected = f.demangledName() != null ? f.demangledName() : f.name();
            assertEquals(symbol, expected, "at 0x" + Long.toHexString(addrs.get(i)));
        }
    }

    @Test
    void cppQualifiedNames() {
        FunctionIndex index = Oracle.index("sym_cpp");
        TreeSet<String> names = index.functions().stream().map(Function::qualifiedName)
                .collect(Collectors.toCollection(TreeSet::new));
        for (String n : List.of("geo::Rect::area", "geo::Rect::Rect", "geo::detail::twice<int>", "geo::clamp",
                "geo::Grid<int, 4>::total", "total_area", "main")) {
            assertTrue(names.contains(n), n + " not in " + names);
        }
        Function area = index.functionsNamed("geo::Rect::area").get(0);
        assertEquals("area", area.name());
        assertEquals("_ZNK3geo4Rect4areaEv", area.linkageName());
        assertEquals("geo::Rect::area() const", area.demangledName());
        assertEquals(16, area.declLine());
        assertSame(area, index.functionsNamed("_ZNK3geo4Rect4areaEv").get(0));
        assertSame(area, index.functionsNamed("area").get(0));
        assertEquals("src/sym_shapes.cpp", area.unitName());
        assertEquals(4, area.language() == 0x21 ? 4 : area.language() == 0x1a ? 4 : area.language() == 4 ? 4 : -1,
                "C++ language code " + area.language());
    }

    /** Every linkage name demangles as c++filt prints it. */
    @ParameterizedTest
    @ValueSource(strings = {"sym_cpp", "sym_cpp_o2"})
    void demangledNamesMatchCxxfilt(String program) {
        List<Function> withLinkage = Oracle.index(program).functions().stream()
                .filter(f -> f.linkageName() != null).toList();
        assertTrue(withLinkage.size() >= 3, withLinkage.toString());
        String input = withLinkage.stream().map(Function::linkageName).collect(Collectors.joining("\n")) + "\n";
        List<String> out = Oracle.run(input, "c++filt");
        for (int i = 0; i < withLinkage.size(); i++) {
            assertEquals(out.get(i), withLinkage.get(i).demangledName(), withLinkage.get(i).linkageName());
        }
    }

    /** The DWARF 4 build (.debug_ranges, .debug_loc) and the compressed one describe the same functions as DWARF 5. */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c_dwarf4", "sym_c_gz"})
    void sameFunctionsAsDwarf5(String program) {
        assertEquals(describe(Oracle.index("sym_c")), describe(Oracle.index(program)));
    }

    private static List<String> describe(FunctionIndex index) {
        List<String> out = new ArrayList<>();
        for (Function f : index.functions()) {
            StringBuilder sb = new StringBuilder(f.qualifiedName() + " " + f.ranges() + " decl line " + f.declLine() + " frame base " + java.util.Arrays.toString(f.frameBase()));
            describe(f.scope(), sb);
            out.add(sb.toString());
        }
        out.sort(null);
        return out;
    }

    private static void describe(Scope s, StringBuilder sb) {
        sb.append(" {").append(s.kind()).append(' ').append(s.ranges());
        for (Variable v : s.variables()) {
            sb.append(' ').append(v.name()).append(v.parameter() ? "(param)" : "").append('@').append(v.declLine());
        }
        s.children().forEach(c -> describe(c, sb));
        sb.append('}');
    }

    @Test
    void unitsByAddress() {
        FunctionIndex index = Oracle.index("sym_c");
        Function distance = index.functionsNamed("util_distance").get(0);
        Function main = index.functionsNamed("main").get(0);
        assertEquals("src/sym_util.c", index.debugInfo().unitAt(distance.entryPc()).name());
        assertEquals("src/sym_main.c", index.debugInfo().unitAt(main.entryPc()).name());
        assertSame(main.unit(), index.debugInfo().unitAt(main.highPc() - 1));
        assertNull(index.debugInfo().unitAt(0));
        assertNull(index.functionAt(0));
        assertEquals(main.unit().stmtList(), main.stmtList());
        assertNotNull(main.compDir());
    }

    /** The parameters and locals of each -O0 function are the ones gdb's "info scope" lists. */
    @Test
    void variablesMatchGdbInfoScope() {
        FunctionIndex index = Oracle.index("sym_c");
        for (String fn : List.of("main", "factorial", "sum_to", "apply", "util_distance", "square")) {
            List<String> out = Oracle.run(null, "gdb", "-batch", "-nx", "-ex", "info scope " + fn,
                    Oracle.bin("sym_c").toString());
            List<String> gdbNames = out.stream().filter(l -> l.startsWith("Symbol "))
                    .map(l -> l.split(" ")[1]).toList();
            Function f = index.functionsNamed(fn).get(0);
            List<String> ours = f.scope().variables().stream().map(Variable::name).toList();
            assertEquals(gdbNames, ours, fn);
            for (Variable v : f.scope().variables()) {
                assertTrue(v.location().isExpression(), v.name());
                assertEquals(0x91, v.location().expression()[0] & 0xff, "DW_OP_fbreg for " + v.name());
                assertTrue(v.typeOffset() > 0 && v.declLine() > 0, v.name());
            }
        }
        Function sumTo = index.functionsNamed("sum_to").get(0);
        Scope block = sumTo.scope().children().get(0);
        assertEquals(Scope.Kind.LEXICAL_BLOCK, block.kind());
        assertEquals("i", block.variables().get(0).name());
        assertEquals(30, block.variables().get(0).declLine());
        Die type = index.debugInfo().die(block.variables().get(0).typeOffset());
        assertEquals(DwTag.BASE_TYPE, type.tag());
        assertEquals("int", type.name());
        assertEquals(4, type.unsigned(DwAt.BYTE_SIZE, 0));
    }

    /** At -O2 parameters live in location lists; each list decodes, and covers addresses of the function. */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c_o2", "sym_c_dwarf4"})
    void locationListsDecode(String program) {
        FunctionIndex index = Oracle.index(program);
        int lists = 0;
        for (Function f : index.functions()) {
            for (Variable v : allVariables(f.scope())) {
                if (v.location().isList()) {
                    List<LocationEntry> entries = v.location().entries();
                    for (LocationEntry e : entries) {
                        assertTrue(e.isDefault() || e.high() >= e.low(), v.name() + " " + e);
                        assertTrue(e.isDefault() || index.functionAt(e.low()) != null, v.name());
                    }
                    lists++;
                }
            }
        }
        if (program.equals("sym_c_o2")) {
            assertTrue(lists > 0, "no location lists at -O2");
        }
    }

    private static List<Variable> allVariables(Scope s) {
        List<Variable> out = new ArrayList<>(s.variables());
        s.children().forEach(c -> out.addAll(allVariables(c)));
        return out;
    }
}
