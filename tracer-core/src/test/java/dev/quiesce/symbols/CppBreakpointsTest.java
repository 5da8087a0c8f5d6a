package dev.quiesce.symbols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quiesce.engine.TestPrograms;
import java.nio.file.Files;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Function breakpoints on C++ methods, constructors, templates and lambdas land where gdb puts
 * them: after the prologue. names_cpp_o2o0 is built as ninja's configure.py builds with
 * CFLAGS=-O0 ({@code -O2 ... -O0}): the producer string names -O2, the code is -O0.
 */
class CppBreakpointsTest {

    @ParameterizedTest
    @CsvSource({
        "names_cpp, ns::Square::area", "names_cpp, ns::Square::Square", "names_cpp, ns::twice<int>",
        "names_cpp, ns::twice<double>", "names_cpp, ns::Square::sides", "names_cpp, main",
        "names_cpp, 'main::{lambda(int)#1}::operator()'",
        "names_cpp_o2o0, ns::Square::area", "names_cpp_o2o0, ns::Square::Square", "names_cpp_o2o0, ns::twice<int>",
        "names_cpp_o2o0, 'main::{lambda(int)#1}::operator()'", "names_cpp_o2o0, worker",
        "names_cpp_clang, ns::Square::area", "names_cpp_clang, ns::Square::Square", "names_cpp_clang, ns::twice<int>",
        "names_cpp_clang, worker", "names_cpp_clang, main",
        "values_c_clang, main", "values_c_clang_o2, main", "sym_cpp_o2, geo::Rect::area",
    })
    void methodBreakpointIsWhereGdbPutsIt(String program, String function) throws Exception {
        var path = TestPrograms.path(program);
        assumeTrue(Files.exists(path), program + " was not built (clang-16 missing?): skipped");
        TreeSet<Long> gdb = GdbOracle.breakpoint(path, function).stream().map(GdbOracle.Location::address)
                .collect(Collectors.toCollection(TreeSet::new));
        assertFalse(gdb.isEmpty(), "gdb found " + function);
        List<Long> ours = ModuleSymbols.of(ObjectFiles.shared().open(path)).functionEntries(function);
        assertEquals(hex(gdb), hex(new TreeSet<>(ours)), function + " in " + program);
    }

    private static String hex(java.util.Collection<Long> addresses) {
        return addresses.stream().map(a -> "0x" + Long.toHexString(a)).collect(Collectors.joining(","));
    }
}
