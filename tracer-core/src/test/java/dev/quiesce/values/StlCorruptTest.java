package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.values.expr.Expression;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real objects of stl_values.cpp (libstdc++, gcc -O0) corrupted in the stopped process through
 * the value layer's Memory: each formats as an error or a bounded text in bounded time, and its
 * children (what a Variables page asks for, first and last page) answer, never with Java
 * exception text.
 */
class StlCorruptTest {
    private static final String FILE = "stl_values.cpp";
    private static final int LINE = 82;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static long eval(ProgramStop s, String expression) {
        return Expression.parse(expression).evaluateReadOnly(s.frame()).asLong();
    }

    private static void poke(ProgramStop s, long address, long word) {
        s.frame().memory().write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(word).array());
    }

    private static long peek(ProgramStop s, long address) {
        return ByteBuffer.wrap(s.frame().memory().read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static void assertShownSafely(ProgramStop s, String name, boolean mustBeError) {
        List<String> out = CorruptValues.shownSafely(s, name);
        if (mustBeError) {
            assertTrue(out.get(0).startsWith("<error") || out.get(0).startsWith("<Cannot access"), name + ": " + out.get(0));
        }
    }

    @Test
    void corruptContainersShowErrorsOrBoundedTextInBoundedTime() throws Exception {
        try (ProgramStop s = ProgramStop.at("stl_values", FILE, LINE, executor)) {
            // a vector whose end is 2^60 bytes past its begin
            long vBegin = eval(s, "(long) v._M_impl._M_start");
            poke(s, eval(s, "(long) &v._M_impl._M_finish"), vBegin + (1L << 60));
            assertShownSafely(s, "v", true);

            // a list whose first node's next points to itself; then also an enormous (but plausible) size
            long first = peek(s, eval(s, "(long) &lst._M_impl._M_node"));
            poke(s, first, first);
            assertShownSafely(s, "lst", true);
            poke(s, eval(s, "(long) &lst._M_impl._M_node._M_size"), 1L << 40);
            assertShownSafely(s, "lst", true);

            // forward_list: a two-node cycle, and no size to bound the walk
            long flFirst = eval(s, "(long) fl._M_impl._M_head._M_next");
            poke(s, peek(s, flFirst), flFirst);
            assertShownSafely(s, "fl", true);

            // map: the leftmost node's right child is itself (a cycle in the links)
            long mLeft = eval(s, "(long) m._M_t._M_impl._M_header._M_left");
            poke(s, mLeft + 24, mLeft);
            assertShownSafely(s, "m", true);
            // set: a null parent in the middle of the tree (the leftmost node's: its successor climbs through it)
            long stLeft = eval(s, "(long) st._M_t._M_impl._M_header._M_left");
            poke(s, stLeft + 8, 0);
            assertShownSafely(s, "st", true);
            // multimap: the root's left child is the root, and the count claims a million
            long mmRoot = eval(s, "(long) mm._M_t._M_impl._M_header._M_parent");
            poke(s, mmRoot + 16, mmRoot);
            poke(s, eval(s, "(long) &mm._M_t._M_impl._M_node_count"), 1_000_000);
            assertShownSafely(s, "mm", true);

            // unordered_map: its one node's link points to itself and the count claims a million
            long umNode = eval(s, "(long) um._M_h._M_before_begin._M_nxt");
            poke(s, umNode, umNode);
            poke(s, eval(s, "(long) &um._M_h._M_element_count"), 1_000_000);
            assertShownSafely(s, "um", true);
            // unordered_set: a bucket pointing at itself, the node chain ending in a wild pointer
            long usNode = eval(s, "(long) us._M_h._M_before_begin._M_nxt");
            poke(s, usNode, 0x10);
            poke(s, eval(s, "(long) &us._M_h._M_element_count"), 5);
            long usBuckets = eval(s, "(long) us._M_h._M_buckets");
            poke(s, usBuckets, usBuckets);
            assertShownSafely(s, "us", true);

            // strings: a length beyond the address space, and a huge one inside it (bounded text)
            poke(s, eval(s, "(long) &s._M_string_length"), 1L << 62);
            assertShownSafely(s, "s", true);
            poke(s, eval(s, "(long) &long_s._M_string_length"), 1L << 40);
            assertShownSafely(s, "long_s", false);

            // a deque whose start node pointer is wild, and a shared_ptr whose control block is
            poke(s, eval(s, "(long) &dq._M_impl._M_start._M_node"), 0x10);
            assertShownSafely(s, "dq", false);
            poke(s, eval(s, "(long) &sp._M_refcount._M_pi"), 0x10);
            assertShownSafely(s, "sp", false);
        }
    }
}
