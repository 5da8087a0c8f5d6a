package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The value layer's loops against hostile types and memory, without a process: cyclic type
 * chains (corrupt DWARF builds them faithfully), sizes that overflow, structs that contain
 * themselves, and a Memory that breaks its contract. Each ends within a deadline.
 */
class BoundedValuesTest {
    private static final Duration QUICK = Duration.ofSeconds(5);

    /** Readable from 0x1000 to 0x3000 (bytes 'a'), with NUL at {@code nulAt} unless -1; nothing else. */
    private static Memory pages(long nulAt) {
        return new Memory() {
            @Override
            public byte[] read(long address, int length) {
                if (address < 0x1000 || address + length > 0x3000) {
                    throw Memory.cannotAccess(address < 0x1000 ? address : 0x3000);
                }
                byte[] b = new byte[length];
                Arrays.fill(b, (byte) 'a');
                if (nulAt >= address && nulAt < address + length) {
                    b[(int) (nulAt - address)] = 0;
                }
                return b;
            }

            @Override
            public void write(long address, byte[] data) {
                throw Memory.cannotAccess(address);
            }
        };
    }

    /** A Memory that answers every read with nothing: the old bug's shape. cString must not spin on it. */
    private static final Memory SHORT_READS = new Memory() {
        @Override
        public byte[] read(long address, int length) {
            return new byte[0];
        }

        @Override
        public void write(long address, byte[] data) {
        }
    };

    private static ValueFormatter formatter(Memory memory) {
        return new ValueFormatter(new Values(FrameContext.globalsOnly(memory, null)), false);
    }

    private static final Type CHAR_POINTER = Type.pointerTo(Type.CHAR);

    @Test
    void stringsStopAtUnmappedMemoryAtTheLimitAndOnShortReads() {
        assertTimeoutPreemptively(QUICK, () -> {
            assertEquals("0x2ffd \"aaa\"<error: Cannot access memory at address 0x3000>",
                    formatter(pages(-1)).format(Value.ofLong(CHAR_POINTER, 0x2ffd)));
            assertEquals("0x3 <error: Cannot access memory at address 0x3>", formatter(pages(-1)).format(Value.ofLong(CHAR_POINTER, 3)));
            assertEquals("0x1000 \"" + "a".repeat(200) + "\"...", formatter(pages(-1)).format(Value.ofLong(CHAR_POINTER, 0x1000)));
            assertEquals("0x1ffe \"aa\"", formatter(pages(0x2000)).format(Value.ofLong(CHAR_POINTER, 0x1ffe)), "across a page");
            assertTrue(formatter(SHORT_READS).format(Value.ofLong(CHAR_POINTER, 0x1000)).contains("<error: Cannot access memory at address 0x1000>"));
        });
    }

    @Test
    void cyclicTypeChainsEnd() {
        assertTimeoutPreemptively(QUICK, () -> {
            Type a = new Type(Type.Kind.TYPEDEF, "a_t", 0, false);
            Type constA = new Type(Type.Kind.CONST, null, 0, false).target(a);
            a.target(constA); // typedef const a_t a_t
            assertEquals(Type.CYCLIC, a.strip());
            assertEquals(0, a.size());
            Type selfPointer = new Type(Type.Kind.POINTER, null, 8, false);
            selfPointer.target(selfPointer);
            assertTrue(selfPointer.name().contains("<cyclic type>"), selfPointer.name());
            Type selfArray = new Type(Type.Kind.ARRAY, null, 0, false).bounds(List.of(Type.Bound.of(2)));
            selfArray.target(selfArray);
            assertEquals(0, selfArray.size());
            assertTrue(selfArray.name().contains("<cyclic type>"));
        });
    }

    @Test
    void sizesThatOverflowSaturateAndAreTooLargeToRead() {
        assertEquals(Long.MAX_VALUE, Type.arrayOf(Type.INT, 1L << 62).size()); // 2^64 bytes wrapped to 0 before
        assertEquals(Long.MAX_VALUE, Type.arrayOf(Type.arrayOf(Type.LONG, 1L << 40), 1L << 40).size());
        assertEquals(Long.MAX_VALUE, Type.arrayOf(Type.INT, -5).size());
        assertEquals(0, Type.arrayOf(Type.arrayOf(Type.LONG, 1L << 62), 0).size());
        ValueException e = assertThrows(ValueException.class, () -> Values.readableSize(Type.arrayOf(Type.INT, 1L << 62)));
        assertTrue(e.getMessage().contains("more than max-value-size"), e.getMessage());
        assertEquals(0, new Values(FrameContext.globalsOnly(pages(-1), null)).length(Value.of(Type.arrayOf(Type.INT, -5), new byte[0])));
    }

    @Test
    void aStructContainingItselfFormatsToGdbsMaxDepth() {
        assertTimeoutPreemptively(QUICK, () -> {
            Type loop = new Type(Type.Kind.STRUCT, "struct loop", 4, false);
            loop.members(List.of(new Member("self", loop, 0, 0, 0, false, -1)));
            String s = formatter(pages(-1)).format(Value.of(loop, new byte[4]));
            // gdb's max-depth N: N levels shown (set print max-depth 1 prints {a = {...}})
            assertEquals("{self = ".repeat(ValueFormatter.MAX_DEPTH) + "{...}" + "}".repeat(ValueFormatter.MAX_DEPTH), s);
        });
    }

    @Test
    void nestedArraysShowABoundedNumberOfScalars() {
        assertTimeoutPreemptively(QUICK, () -> {
            Type cube = Type.arrayOf(Type.arrayOf(Type.arrayOf(Type.INT, 100), 100), 100); // 4 MB, a million ints
            byte[] bytes = new byte[(int) cube.size()];
            for (int i = 0; i < bytes.length; i += 4) {
                bytes[i] = (byte) (i / 4 % 7); // no repeats to fold
            }
            String s = formatter(pages(-1)).format(Value.of(cube, bytes));
            assertTrue(s.length() < 40 * ValueFormatter.MAX_SCALARS, "length " + s.length());
            assertTrue(s.endsWith("...}}}") || s.contains("..."), s.substring(s.length() - 40));
        });
    }

    @Test
    void charArraysShowTwoHundredCharacters() {
        byte[] text = new byte[100_000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ('a' + i % 26);
        }
        String s = ValueFormatter.charArray(text);
        assertEquals(200 + 2 + 3, s.length(), s);
        assertTrue(s.endsWith("\"..."));
        assertEquals("'x' <repeats 300 times>", ValueFormatter.charArray("x".repeat(300).getBytes()));
    }

    @Test
    void bitFieldsOutsideTheirValueAreErrors() {
        Values values = new Values(FrameContext.globalsOnly(pages(-1), null));
        Type small = new Type(Type.Kind.STRUCT, "struct small", 1, false);
        Value v = Value.of(small, new byte[1]);
        assertThrows(ValueException.class, () -> values.member(v, new Member("wide", Type.UINT, 0, 0, 12, false, -1)));
        assertThrows(ValueException.class, () -> values.member(v, new Member("far", Type.UINT, 9, 0, 3, false, -1)));
        assertThrows(ValueException.class, () -> values.member(v, new Member("before", Type.UINT, -1, 0, 0, false, -1)));
        assertEquals(0, values.member(v, new Member("ok", Type.UINT, 0, 2, 3, false, -1)).asLong());
    }
}
