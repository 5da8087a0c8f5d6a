package dev.quiesce.values;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.quiesce.symbols.dwarf.Scope;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The locals prefetch's reading (issue 14) at inspect()'s stop in stl_values.cpp: every visible
 * variable's type is read from the debug information without one read of the program's memory
 * (its memory throws), and the library types among them are recognised as such.
 */
class LocalTypesTest {
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopExecutor() {
        executor.shutdownNow();
    }

    @Test
    void readsEveryLocalsTypeWithoutTouchingMemory() throws Exception {
        try (ProgramStop s = ProgramStop.at("stl_values", "stl_values.cpp", 82, executor)) {
            int visible = 0;
            for (Scope sc : s.frame().scopes()) {
                visible += sc.variables().size();
            }
            LocalTypes.Read r = LocalTypes.read(s.frame().frame());
            assertEquals(Math.min(visible, LocalTypes.MAX_VARIABLES), r.variables());
            assertTrue(r.variables() > 30, "inspect() has over 30 locals: " + r.variables());
            // strings, vectors, maps, smart pointers...: all but the plain ints, arrays and std::function
            assertTrue(r.libraryTypes() >= 30, "library types among the locals: " + r.libraryTypes());
        }
    }
}
