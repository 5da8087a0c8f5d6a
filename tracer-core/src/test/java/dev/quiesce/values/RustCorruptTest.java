package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.values.expr.Expression;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Real Rust values of shapes.rs (rustc -g -C opt-level=0) corrupted in the stopped process: each
 * formats as an error or a bounded text in bounded time, and its first and last pages of children
 * answer, never with Java exception text (issue 15: never hang on corrupt input).
 */
class RustCorruptTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static long address(ProgramStop s, String expression) {
        return Expression.parse("&" + expression).evaluateReadOnly(s.frame()).asLong();
    }

    private static void poke(ProgramStop s, long address, long word) {
        s.frame().memory().write(address, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(word).array());
    }

    private static String shownSafely(ProgramStop s, String name, boolean mustBeError) {
        List<String> out = CorruptValues.shownSafely(s, name);
        if (mustBeError) {
            assertTrue(out.get(0).contains("<error"), name + ": " + out.get(0));
        }
        return out.get(0);
    }

    @Test
    void corruptRustValuesShowErrorsOrBoundedTextInBoundedTime() throws Exception {
        Path dir = Path.of(System.getProperty("quiesce.testprograms.dir", "../test-programs/target/bin"));
        Assumptions.assumeTrue(Files.isExecutable(dir.resolve("shapes_rs")), "shapes_rs was not built (no rustc): skipped");
        Path source = dir.resolve("../../src/shapes.rs").normalize();
        List<String> lines = Files.readAllLines(source);
        int line = 0;
        while (!lines.get(line).contains("// BREAK main")) {
            line++;
        }
        try (ProgramStop s = ProgramStop.at("shapes_rs", "shapes.rs", line + 1, executor)) {
            assertEquals("Vec(size=5) = {10, 20, 30, 40, 50}", shownSafely(s, "nums", false));
            poke(s, address(s, "nums.len"), 1L << 60); // more elements than the address space holds
            shownSafely(s, "nums", true);
            poke(s, address(s, "many.len"), 1L << 40); // plausible, but its pages run off the heap
            assertTrue(shownSafely(s, "many", false).startsWith("Vec(size=1099511627776) = {0, 1, 2"));
            poke(s, address(s, "greeting.vec.len"), 1L << 62);
            shownSafely(s, "greeting", true);
            poke(s, address(s, "word.length"), 1L << 40);
            shownSafely(s, "word", false);
            poke(s, address(s, "slice.length"), 1L << 61);
            shownSafely(s, "slice", true);
            poke(s, address(s, "deque.head"), 1L << 40);
            shownSafely(s, "deque", true);
            poke(s, address(s, "map.base.table.table.items"), 1_000_000); // more items than its 4 buckets
            shownSafely(s, "map", true);
            poke(s, address(s, "set.base.map.table.table.bucket_mask"), (1L << 40) - 1); // control bytes beyond the heap
            shownSafely(s, "set", false);
            poke(s, address(s, "shared.ptr.pointer"), 0x10); // the allocation behind an Rc is unmapped
            shownSafely(s, "shared", true);
            // an Option<u8> whose tag names no variant, and an Option<String> whose niche is a wild String
            s.frame().memory().write(address(s, "some_byte"), new byte[] {7});
            assertEquals("<error: no variant of core::option::Option<u8> has this discriminant>", shownSafely(s, "some_byte", true));
            poke(s, address(s, "no_name"), 12345);
            shownSafely(s, "no_name", false);
            // BTreeMap: a length beyond the address space; a node claiming 65535 keys; a root of height 2^40;
            // every edge of the root pointing back at it (a loop) with a height of 40
            assertEquals("BTreeMap(size=2) = {[1] = \"one\", [3] = \"three\"}", shownSafely(s, "tree", false));
            poke(s, address(s, "tree.length"), 1L << 60);
            shownSafely(s, "tree", true);
            long root = Expression.parse("big.root.0.node.pointer").evaluateReadOnly(s.frame()).asLong();
            long leafSize = Expression.parse("*big.root.0.node.pointer").evaluateReadOnly(s.frame()).type().size();
            long lenAt = address(s, "big.root.0.node.pointer.len");
            byte[] len = s.frame().memory().read(lenAt, 2);
            s.frame().memory().write(lenAt, new byte[] {-1, -1});
            shownSafely(s, "big", true);
            s.frame().memory().write(lenAt, len);
            poke(s, address(s, "big.root.0.height"), 1L << 40);
            shownSafely(s, "big", true);
            poke(s, address(s, "big.root.0.height"), 40);
            for (int i = 0; i <= (len[0] & 0xff); i++) {
                poke(s, (leafSize + 7) / 8 * 8 + root + 8L * i, root);
            }
            shownSafely(s, "big", false);
            poke(s, address(s, "bset.map.root.0.node.pointer"), 0x10); // the set's one node is unmapped
            shownSafely(s, "bset", true);
        }
    }
}
