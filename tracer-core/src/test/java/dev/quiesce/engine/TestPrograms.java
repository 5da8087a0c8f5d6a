package dev.quiesce.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the debuggees that test-programs/ builds. */
public final class TestPrograms {
    private TestPrograms() {
    }

    public static Path path(String name) {
        String dir = System.getProperty("quiesce.testprograms.dir");
        if (dir == null) {
            throw new IllegalStateException("quiesce.testprograms.dir is not set (run the tests through Maven)");
        }
        Path p = Path.of(dir, name);
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: build test-programs first");
        }
        return p;
    }
}
