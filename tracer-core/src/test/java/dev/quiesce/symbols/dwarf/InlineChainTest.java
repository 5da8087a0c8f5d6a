package dev.quiesce.symbols.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Inline chains at -O2 against {@code addr2line -i -f} (binutils walks the same DW_TAG_inlined_subroutine tree). */
class InlineChainTest {

    @Test
    void utilAbsIsInlinedIntoUtilDistance() {
        FunctionIndex index = Oracle.index("sym_c_o2");
        Function distance = index.functionsNamed("util_distance").get(0);
        List<InlinedCall> calls = new ArrayList<>();
        collect(distance.scope(), calls);
        List<InlinedCall> abs = calls.stream().filter(c -> c.name().equals("util_abs")).toList();
        assertEquals(2, abs.size(), calls.toString());
        assertEquals(List.of(6, 7), abs.stream().map(InlinedCall::callLine).sorted().toList());
        for (InlinedCall c : abs) {
            assertFalse(c.ranges().isEmpty());
            List<InlinedCall> chain = index.inlineChain(c.ranges().get(0).low());
            assertEquals("util_abs", chain.get(0).name());
            assertEquals(c.callLine(), chain.get(0).callLine());
            assertTrue(c.callFile() > 0);
            assertEquals(distance.stmtList(), c.stmtList());
        }
    }

    @Test
    void totalAreaIsInlinedIntoMainInCpp() {
        FunctionIndex index = Oracle.index("sym_cpp_o2");
        Function main = index.functionsNamed("main").get(0);
        List<InlinedCall> calls = new ArrayList<>();
        collect(main.scope(), calls);
        // gcc folds geo::clamp away entirely; total_area and the lambda are inlined into main.
        InlinedCall total = calls.stream().filter(c -> "total_area".equals(c.qualifiedName())).findFirst()
                .orElseThrow(() -> new AssertionError(calls.toString()));
        assertEquals(64, total.callLine());
        assertEquals(List.of(total), index.inlineChain(total.ranges().get(0).low()));
        InlinedCall vectorCtor = calls.stream()
                .filter(c -> c.qualifiedName().equals("std::vector<geo::Shape*, std::allocator<geo::Shape*> >::vector"))
                .findFirst().orElseThrow();
        assertEquals(61, vectorCtor.callLine());
        assertTrue(calls.stream().anyMatch(c -> c.name().equals("operator()") && c.callLine() == 66));
    }

    /** At the start of every inlined range, our chain's names and call lines equal addr2line's frames. */
    @ParameterizedTest
    @ValueSource(strings = {"sym_c_o2", "sym_cpp_o2", "sqlite_demo"})
    void chainsMatchAddr2line(String program) {
        FunctionIndex index = Oracle.index(program);
        List<Long> addrs = new ArrayList<>();
        for (Function f : index.functions()) {
            List<InlinedCall> calls = new ArrayList<>();
            collect(f.scope(), calls);
            for (InlinedCall c : calls) {
                for (AddressRange r : c.ranges()) {
                    addrs.add(r.low());
                }
            }
            if (addrs.size() > 400) {
                break;
            }
        }
        assertFalse(addrs.isEmpty());
        StringBuilder in = new StringBuilder();
        addrs.forEach(a -> in.append("0x").append(Long.toHexString(a)).append('\n'));
        // -a prints the address before each chain, so chains of any length can be split apart.
        List<String> out = Oracle.run(in.toString(), "addr2line", "-a", "-i", "-f", "-e", Oracle.bin(program).toString());
        List<List<String[]>> chains = new ArrayList<>();
        for (int i = 0; i < out.size(); ) {
            List<String[]> frames = new ArrayList<>();
            i++; // the address line
            while (i + 1 < out.size() && !out.get(i).startsWith("0x0")) {
                frames.add(new String[] {out.get(i), out.get(i + 1)});
                i += 2;
            }
            chains.add(frames);
        }
        assertEquals(addrs.size(), chains.size());
        int mismatches = 0;
        for (int k = 0; k < addrs.size(); k++) {
            List<InlinedCall> ours = index.inlineChain(addrs.get(k));
            List<String[]> theirs = chains.get(k);
            // addr2line: frame j is function j; its line is where frame j-1 was called, i.e. call_line of ours[j-1].
            boolean same = ours.size() == theirs.size() - 1;
            for (int j = 0; same && j < ours.size(); j++) {
                String name = theirs.get(j)[0];
                InlinedCall call = ours.get(j);
                // addr2line names a C++ frame by its linkage name; without one it prints the caller's.
                same = name.equals(call.name()) || name.equals(call.linkageName())
                        || (call.linkageName() == null && call.unit().name().endsWith(".cpp"));
                same &= lineOf(theirs.get(j + 1)[1]) == ours.get(j).callLine();
            }
            if (!same) {
                if (mismatches++ < 5) System.err.println("0x" + Long.toHexString(addrs.get(k)) + " ours " + ours + " addr2line "
                        + theirs.stream().map(f -> f[0] + "@" + f[1]).toList());
            }
        }
        assertEquals(0, mismatches, "of " + addrs.size() + " addresses");
    }

    private static int lineOf(String fileLine) {
        String s = fileLine.replaceAll(" \\(discriminator \\d+\\)", "");
        String n = s.substring(s.lastIndexOf(':') + 1);
        return n.equals("?") ? 0 : Integer.parseInt(n);
    }

    private static void collect(Scope s, List<InlinedCall> out) {
        if (s.inlined() != null) {
            out.add(s.inlined());
        }
        s.children().forEach(c -> collect(c, out));
    }
}
