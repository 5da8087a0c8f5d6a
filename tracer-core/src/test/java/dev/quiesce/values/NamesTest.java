package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quiesce.engine.Debuggee;
import dev.quiesce.engine.TestPrograms;
import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.expr.ExpressionException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names as gdb resolves them (statics, globals, other modules, thread-locals, errno, members
 * without this->, static members, typedefs, enumerators) and gdb's expression forms
 * ({@code *p@N}, C++ casts) in names_cpp.cpp, gcc and clang-16, against gdb's {@code output}.
 */
class NamesTest {
    private static final List<String> AT_PRINTF = List.of("counter", "file_static", "numbers", "tl", "errno",
            "sq.side_", "ns::Square::made", "sizeof(Table)", "sq.kind_", "ns::Square::SOLID", "(Table *) shape == &sq",
            "*p@3", "numbers[1]@2", "static_cast<int>(2.5)", "reinterpret_cast<long>(p) == (long) p",
            "static_cast<ns::Square *>(shape)->side_", "color", "Color::Red", "color == Color::Green", "sq.kind_ == ns::Square::SOLID");

    private static final List<String> IN_METHOD = List.of("side_", "kind_", "this->side_", "made", "side_ * 2", "SOLID", "FLAT",
            "kind_ == SOLID");

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private List<String> ours(FrameContext frame, List<String> expressions) {
        ValueFormatter formatter = new ValueFormatter(new Values(frame), false);
        List<String> out = new ArrayList<>();
        for (String e : expressions) {
            try {
                out.add(formatter.formatTop(Expression.parse(e).evaluateReadOnly(frame)));
            } catch (ExpressionException ex) {
                out.add("error: " + ex.getMessage());
            }
        }
        return out;
    }

    private void compare(String program, int line, List<String> expressions) throws Exception {
        assumeTrue(Files.exists(TestPrograms.path(program)), program + " was not built (clang-16 missing?): skipped");
        List<String> ours;
        try (ProgramStop s = ProgramStop.at(program, "names_cpp.cpp", line, executor)) {
            ours = ours(s.frame(), expressions);
        }
        List<String> gdb = ValuesTest.gdbPrint(TestPrograms.path(program), "names_cpp.cpp:" + line, expressions);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < expressions.size(); i++) {
            String g = gdb.get(i).substring(gdb.get(i).lastIndexOf('\n') + 1).replaceAll("0x7ff[0-9a-f]{9}", "0x7ff<stack>");
            String o = ours.get(i).replaceAll("0x7ff[0-9a-f]{9}", "0x7ff<stack>");
            if (!g.equals(o)) {
                mismatches.add(expressions.get(i) + ": gdb «" + g + "» ours «" + o + "»");
            }
        }
        assertEquals("", String.join("\n", mismatches));
    }

    @ParameterizedTest
    @ValueSource(strings = {"names_cpp", "names_cpp_clang"})
    void namesAndExpressionsAtMainMatchGdb(String program) throws Exception {
        compare(program, 69, AT_PRINTF);
    }

    /**
     * A program's global and file static read while the selected code is libc's (a thread in
     * usleep), and dynamic_cast by the vtable (gdb 13 answers the vptr itself here, so the
     * oracle is the object's address).
     */
    @ParameterizedTest
    @ValueSource(strings = {"names_cpp", "names_cpp_clang"})
    void programGlobalsFromLibcAndDynamicCast(String program) throws Exception {
        assumeTrue(Files.exists(TestPrograms.path(program)), program + " was not built (clang-16 missing?): skipped");
        try (ProgramStop s = ProgramStop.at(program, "names_cpp.cpp", 69, executor)) {
            var libc = s.frame().modules().stream().filter(m -> m.name().startsWith("libc.so")).findFirst().orElseThrow();
            FrameContext inLibc = s.frame().forModule(libc);
            assertEquals(List.of("42", "7", "{1, 2, 3, 4, 5}"), ours(inLibc, List.of("counter", "file_static", "numbers")));
            assertEquals(List.of("true", "3", "true"), ours(s.frame(), List.of("dynamic_cast<ns::Square *>(shape) == &sq",
                    "dynamic_cast<ns::Square *>(shape)->side_", "dynamic_cast<ns::Shape *>(shape) == shape")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"names_cpp", "names_cpp_clang"})
    void membersWithoutThisInAMethodMatchGdb(String program) throws Exception {
        compare(program, 23, IN_METHOD);
    }
}
