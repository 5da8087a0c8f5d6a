package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.symbols.dwarf.Scope;
import dev.quiesce.symbols.dwarf.Variable;
import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.expr.ExpressionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * wild_pointers.c (issue 13): pointers into unmapped memory, a NULL array member, a ring of
 * nodes and an array type of 2^60 elements answer at once, in gdb's words, never with a Java
 * exception. Each test has a deadline: the bug it guards against was a hang at 100% CPU.
 */
class WildPointersTest {
    private static final int STOP_LINE = 29; // raise(SIGUSR1); /* STOP HERE */ in inspect()
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    /** What gdb 13.1 prints for these at that stop (checked by hand: gdb sends errors to stderr). */
    private static final Map<String, String> GDB = new LinkedHashMap<>();

    static {
        GDB.put("err", "0x3 <error: Cannot access memory at address 0x3>");
        GDB.put("far", "0x10000 <error: Cannot access memory at address 0x10000>");
        GDB.put("t->array[0]", "error: Cannot access memory at address 0x0");
        GDB.put("*t->array", "error: Cannot access memory at address 0x0");
        GDB.put("no_flags->high", "error: Cannot access memory at address 0x0");
        GDB.put("*no_ring", "error: Cannot access memory at address 0x0");
        GDB.put("no_ring->next", "error: Cannot access memory at address 0x8");
        GDB.put("*(int *) 0xfffe", "error: Cannot access memory at address 0xfffe");
        GDB.put("*(long *) 3", "error: Cannot access memory at address 0x3");
    }

    /** Deterministic at the stop, so gdb's stdout answers them too. */
    private static final List<String> GDB_COMPARED = List.of("edge", "*t", "fine", "*ring", "*ring->next->next->next",
            "ring->next->next->next->next->id", "no_flags", "no_ring", "sum");

    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    private static String print(ProgramStop s, String expression) {
        try {
            return new ValueFormatter(new Values(s.frame()), false).formatTop(Expression.parse(expression).evaluateReadOnly(s.frame()));
        } catch (ExpressionException e) {
            return "error: " + e.getMessage();
        }
    }

    @Test
    void unreadableMemoryAnswersInGdbsWordsAtOnce() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (ProgramStop s = ProgramStop.at("wild_pointers", "wild_pointers.c", STOP_LINE, executor)) {
                for (var e : GDB.entrySet()) {
                    assertEquals(e.getValue(), print(s, e.getKey()), e.getKey());
                }
                // gdb's print fails with these words; ours is a value with the error inside, so that
                // its elements stay reachable (below, and as indexed children in the Variables view)
                assertEquals("<error: value requires 4611686018427387904 bytes, which is more than max-value-size>", print(s, "*huge"));
                String huge = print(s, "huge");
                assertTrue(huge.startsWith("(int (*)[1152921504606846976]) 0x"), huge);
                assertEquals("20", print(s, "(*huge)[1]"), "an element of a too-large array, through the pointer");
                assertEquals("30", print(s, "((int *) huge)[2]"));
                List<String> gdb = ValuesTest.gdbPrint(s.debuggee().binary, "wild_pointers.c:" + STOP_LINE, GDB_COMPARED);
                for (int i = 0; i < GDB_COMPARED.size(); i++) {
                    String ours = print(s, GDB_COMPARED.get(i));
                    assertEquals(gdb.get(i).replaceAll("0x7ff[0-9a-f]{9}", "<stack>"), ours.replaceAll("0x7ff[0-9a-f]{9}", "<stack>"),
                            GDB_COMPARED.get(i));
                }
            }
        });
    }

    @Test
    void everyLocalFormatsWithoutAJavaException() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (ProgramStop s = ProgramStop.at("wild_pointers", "wild_pointers.c", STOP_LINE, executor)) {
                Values values = new Values(s.frame());
                ValueFormatter f = new ValueFormatter(values, false);
                Map<String, String> shown = new LinkedHashMap<>();
                for (Scope scope : s.frame().scopes()) {
                    for (Variable v : scope.variables()) {
                        shown.put(v.name(), f.format(values.read(v)));
                    }
                }
                assertEquals("0x3 <error: Cannot access memory at address 0x3>", shown.get("err"));
                assertEquals("0x10000 <error: Cannot access memory at address 0x10000>", shown.get("far"));
                assertEquals(10, shown.size(), shown.toString());
                assertTrue(shown.get("edge").matches("0x7ff[0-9a-f]{9} \"abc\"<error: Cannot access memory at address 0x7ff[0-9a-f]{6}000>"),
                        shown.get("edge"));
                for (var e : shown.entrySet()) {
                    assertFalse(e.getValue().contains("Exception") || e.getValue().contains("java."), e.toString());
                }
            }
        });
    }

    @Test
    void aRingOfNodesIsFollowedOneLevelPerDereference() {
        assertTimeoutPreemptively(DEADLINE, () -> {
            try (ProgramStop s = ProgramStop.at("wild_pointers", "wild_pointers.c", STOP_LINE, executor)) {
                Values values = new Values(s.frame());
                Value node = values.local("ring").orElseThrow();
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 7; i++) {
                    node = values.dereference(node);
                    ids.add(values.member(node, "id").orElseThrow().asLong());
                    node = values.member(node, "next").orElseThrow();
                }
                assertEquals(List.of(1L, 2L, 3L, 1L, 2L, 3L, 1L), ids);
            }
        });
    }
}
