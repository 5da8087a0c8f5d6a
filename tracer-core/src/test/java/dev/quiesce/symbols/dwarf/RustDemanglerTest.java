package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Rust symbol names demangled as binutils' {@code nm -C} (2.40) demangles them: every v0
 * ({@code _R}) symbol of shapes_rs_v0 and every legacy ({@code ..17h<hash>E}) one of shapes_rs.
 */
class RustDemanglerTest {
    private static Path program(String name) {
        Path dir = Path.of(System.getProperty("quiesce.testprograms.dir", "../test-programs/target/bin"));
        Path p = dir.resolve(name);
        Assumptions.assumeTrue(Files.isExecutable(p), name + " was not built (no rustc on PATH or in $HOME/.cargo/bin): skipped");
        return p;
    }

    /** nm's symbols and nm -C's names of them, in the same order (both list by name... so by address: -n). */
    private static List<String[]> pairs(Path program, String prefixOrLegacy) {
        List<String> raw = Oracle.run(null, "nm", "-n", program.toString());
        List<String> demangled = Oracle.run(null, "nm", "-n", "-C", program.toString());
        assertEquals(raw.size(), demangled.size());
        List<String[]> out = new ArrayList<>();
        for (int k = 0; k < raw.size(); k++) {
            String[] r = raw.get(k).trim().split(" ", 3);
            String[] d = demangled.get(k).trim().split(" ", 3);
            String name = r[r.length - 1];
            boolean wanted = prefixOrLegacy.equals("legacy") ? name.matches("_ZN.*17h[0-9a-f]{16}E") : name.startsWith(prefixOrLegacy);
            if (wanted) {
                out.add(new String[] {name, d.length == 3 ? d[2] : d[d.length - 1]});
            }
        }
        return out;
    }

    private static void compare(List<String[]> pairs) {
        List<String> wrong = new ArrayList<>();
        for (String[] p : pairs) {
            String ours = RustDemangler.demangle(p[0]);
            if (!p[1].equals(ours)) {
                wrong.add(p[0] + "\n  nm -C: " + p[1] + "\n  ours:  " + ours);
            }
        }
        System.out.println(wrong.size() + " of " + pairs.size() + " differ from nm -C");
        assertTrue(wrong.isEmpty(), wrong.size() + " of " + pairs.size() + " differ:\n" + String.join("\n", wrong.subList(0, Math.min(20, wrong.size()))));
    }

    @Test
    void v0NamesEqualNms() {
        List<String[]> pairs = pairs(program("shapes_rs_v0"), "_R");
        assertTrue(pairs.size() > 500, "only " + pairs.size() + " v0 symbols");
        compare(pairs);
    }

    @Test
    void legacyNamesEqualNmsWithoutTheHash() {
        List<String[]> pairs = pairs(program("shapes_rs"), "legacy");
        assertTrue(pairs.size() > 200, "only " + pairs.size() + " legacy symbols");
        compare(pairs);
        assertEquals("shapes::area", Demangler.demangle(pairs.stream().filter(p -> p[1].equals("shapes::area")).findFirst().orElseThrow()[0]));
    }

    /** Every prefix of every v0 symbol, and each with a byte changed: an answer or null, never a hang or an exception. */
    @Test
    void corruptNamesEndWithoutAnError() {
        List<String[]> pairs = pairs(program("shapes_rs_v0"), "_R");
        long t0 = System.nanoTime();
        int n = 0;
        for (String[] p : pairs) {
            String s = p[0];
            for (int len = 2; len < s.length(); len++) {
                RustDemangler.demangle(s.substring(0, len));
                char[] c = s.toCharArray();
                c[len] = c[len] == 'B' ? '0' : 'B';
                RustDemangler.demangle(new String(c));
                n += 2;
            }
        }
        System.out.println(n + " corrupt names in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertNull(RustDemangler.demangle("_RB_"));
        assertNull(RustDemangler.demangle("_RNvC999999999999999999999x"));
    }
}
