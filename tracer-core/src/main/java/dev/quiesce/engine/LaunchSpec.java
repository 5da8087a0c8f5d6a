package dev.quiesce.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to run and how.
 *
 * @param program     absolute path of the executable
 * @param args        its arguments (argv[1..])
 * @param cwd         working directory
 * @param environment the complete environment of the program
 * @param disableAslr personality(ADDR_NO_RANDOMIZE), as gdb does by default
 * @param stopMode    non-stop (each thread on its own) or all-stop
 * @param seccompCatch syscall numbers to catch through a seccomp filter installed before exec
 *                     (the program then cannot be detached from: see {@link TracedProcess#detach()})
 * @param stdin       a file the program reads as its standard input, or null: a pipe we close
 *                    once it runs (its reads see end of file)
 */
public record LaunchSpec(Path program, List<String> args, Path cwd, Map<String, String> environment,
        boolean disableAslr, StopMode stopMode, java.util.Set<Long> seccompCatch, Path stdin) {

    public LaunchSpec {
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        seccompCatch = java.util.Set.copyOf(seccompCatch);
    }

    public LaunchSpec(Path program, List<String> args, Path cwd, Map<String, String> environment,
            boolean disableAslr, StopMode stopMode, java.util.Set<Long> seccompCatch) {
        this(program, args, cwd, environment, disableAslr, stopMode, seccompCatch, null);
    }

    public LaunchSpec(Path program, List<String> args, Path cwd, Map<String, String> environment,
            boolean disableAslr, StopMode stopMode) {
        this(program, args, cwd, environment, disableAslr, stopMode, java.util.Set.of());
    }
}
