package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quiesce.engine.TestPrograms;
import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.expr.ExpressionException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The standard-library formatters at inspect()'s raise in stl_values.cpp: every value's text
 * equals gdb's print with its libstdc++ printers at the same stop; the libc++ build's element
 * values equal the libstdc++ build's (gdb has no libc++ printers to ask).
 */
class StlValuesTest {
    private static final String FILE = "stl_values.cpp";
    private static final int LINE = 82;

    /** Everything gdb's printers show (std::function has no printer in gdb 13: its raw struct is not compared). */
    private static final List<String> VALUES = List.of("big", "s", "long_s", "runs_s", "empty_s", "sv", "v", "empty_v", "moved_from",
            "moved_to", "bits", "names", "points", "arr", "dq", "lst", "fl", "m", "sm", "st", "mm", "ms", "um", "us", "umm",
            "ums", "up", "null_up", "sp", "sp2", "wp", "null_sp", "opt", "no_opt", "var", "tup", "pr", "mit", "vit", "lit");

    /** Expressions gdb answers by calling the program, which we answer from the formatters: the same text. */
    private static final List<String> CALLS = List.of("s.size()", "s.length()", "v.size()", "m.size()", "big.size()", "s.c_str()",
            "empty_v.size()", "names.size()");

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static List<String> ours(ProgramStop s, List<String> expressions) {
        List<String> out = new ArrayList<>();
        ValueFormatter f = new ValueFormatter(new Values(s.frame()), false);
        for (String e : expressions) {
            try {
                out.add(f.formatTop(Expression.parse(e).evaluateReadOnly(s.frame())));
            } catch (ExpressionException ex) {
                out.add("error: " + ex.getMessage());
            }
        }
        return out;
    }

    private static String stack(String s) {
        return s.replaceAll("0x7ff[0-9a-f]{9}", "0x7ff<stack>");
    }

    private void compareWithGdb(String program, List<String> expressions, boolean optimized) throws Exception {
        assertTimeoutPreemptively(Duration.ofSeconds(120), () -> {
            List<String> ours;
            try (ProgramStop s = ProgramStop.at(program, FILE, LINE, executor)) {
                ours = ours(s, expressions);
            }
            List<String> gdb = ValuesTest.gdbPrint(TestPrograms.path(program), FILE + ":" + LINE, expressions);
            List<String> mismatches = new ArrayList<>();
            int compared = 0;
            for (int i = 0; i < expressions.size(); i++) {
                if (optimized && (gdb.get(i).contains("optimized out") || ours.get(i).contains("optimized out"))) {
                    continue;
                }
                compared++;
                if (!stack(gdb.get(i)).equals(stack(ours.get(i)))) {
                    mismatches.add(expressions.get(i) + ": gdb «" + gdb.get(i) + "» ours «" + ours.get(i) + "»");
                }
            }
            assertTrue(mismatches.isEmpty(), mismatches.size() + " differ:\n" + String.join("\n", mismatches));
            assertTrue(compared >= expressions.size() / 2, "compared only " + compared);
        });
    }

    @Test
    void libstdcxxValuesMatchGdbsPrinters() throws Exception {
        compareWithGdb("stl_values", VALUES, false);
    }

    @Test
    void libstdcxxValuesAtO2MatchGdbWhereBothKnowThem() throws Exception {
        compareWithGdb("stl_values_o2", VALUES, true);
    }

    @Test
    void methodsAnsweredWithoutCallingTheProgramMatchGdbsCalls() throws Exception {
        compareWithGdb("stl_values", CALLS, false);
    }

    /** Values whose text does not depend on the library (no heap addresses, capacities equal): libc++'s must equal libstdc++'s. */
    private static final List<String> LIBCXX_SAME = List.of("s", "long_s", "runs_s", "empty_s", "sv", "v", "empty_v", "moved_to", "names",
            "points", "m", "sm", "st", "um", "lst.size()", "*lit", "*vit", "*mit", "*up", "*sp", "sp.use_count()", "v[3]", "m[2]", "sm[\"b\"]", "s.size()", "s.c_str()[1]",
            "big.size()", "big[999999]", "dq", "dq[2]", "dq.size()", "fl", "opt", "no_opt", "opt.value()", "var", "tup", "pr", "fn", "empty_fn");

    @Test
    void libcxxElementValuesEqualLibstdcxxOnes() throws Exception {
        assumeTrue(Files.isExecutable(java.nio.file.Path.of(System.getProperty("quiesce.testprograms.dir"), "stl_values_libcxx")),
                "stl_values_libcxx was not built (needs clang++-16 and libc++-16-dev): libc++ formatters not tested");
        List<String> libcxx;
        List<String> libstdcxx;
        try (ProgramStop s = ProgramStop.at("stl_values_libcxx", FILE, LINE, executor)) {
            libcxx = ours(s, LIBCXX_SAME);
        }
        try (ProgramStop s = ProgramStop.at("stl_values", FILE, LINE, executor)) {
            libstdcxx = ours(s, LIBCXX_SAME);
        }
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < LIBCXX_SAME.size(); i++) {
            // a function's address differs between the two builds; its symbol must not
            if (!code(libcxx.get(i)).equals(code(libstdcxx.get(i)))) {
                mismatches.add(LIBCXX_SAME.get(i) + ": libstdc++ «" + libstdcxx.get(i) + "» libc++ «" + libcxx.get(i) + "»");
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    private static String code(String s) {
        return s.replaceAll("0x[0-9a-f]+ <", "0x<code> <");
    }

    @Test
    void indexingAndDereferenceGoThroughTheFormatters() throws Exception {
        try (ProgramStop s = ProgramStop.at("stl_values", FILE, LINE, executor)) {
            assertEquals(List.of("4", "999999", "101 'e'", "\"two\"", "\"three\"", "2", "11", "2", "true", "false", "99", "77",
                            "\"alpha\"", "3", "5", "{x = 3, y = 4}", "5"),
                    ours(s, List.of("v[3]", "big[999999]", "s[1]", "m[2]", "m[3]", "sm[\"b\"]", "*lit", "*vit", "bits[0]", "bits[1]",
                            "*up", "*sp", "names[0]", "points[1].x", "v.at(4)", "points.back()", "opt.value()")));
            assertTrue(ours(s, List.of("v[5]")).get(0).contains("outside the vector"), ours(s, List.of("v[5]")).toString());
            // the last page of the 10^6-element vector is computed from its start, not walked
            Values values = new Values(s.frame());
            ValueFormatter f = new ValueFormatter(values, false);
            long t0 = System.nanoTime();
            var view = dev.quiesce.values.stl.StlFormatters.view(values, values.dereference(Expression.parse("big").evaluateReadOnly(s.frame()))).orElseThrow();
            List<String> last = new ArrayList<>();
            for (var c : view.children(999_000, 1000)) {
                last.add(f.format(c.value()));
            }
            System.out.println("formatter: last page of 10^6 in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
            assertEquals("999999", last.get(999));
            assertTrue(ours(s, List.of("m[7]")).get(0).contains("no element with that key"));
            assertTrue(ours(s, List.of("v.push_back(1)")).get(0).contains("not supported"));
        }
    }
}
