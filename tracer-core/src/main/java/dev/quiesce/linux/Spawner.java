package dev.quiesce.linux;

import com.sun.jna.Memory;
import com.sun.jna.StringArray;
import java.util.List;

/**
 * posix_spawn(3) through JNA: the only way Quiesce starts processes (never ProcessBuilder, whose
 * reaper thread would swallow ptrace stops; ARCHITECTURE.md fact 2). Must run on the tracer
 * thread so that the child is that thread's child (waitpid with __WNOTHREAD sees it).
 */
public final class Spawner {
    private static final short POSIX_SPAWN_SETPGROUP = 0x02;
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    // glibc: sizeof(posix_spawn_file_actions_t) = 80, sizeof(posix_spawnattr_t) = 336, sigset_t = 128.
    private static final int FILE_ACTIONS_SIZE = 256;
    private static final int ATTRIBUTES_SIZE = 512;
    private static final int SIGSET_SIZE = 128;

    private Spawner() {
    }

    /** A file descriptor of ours that becomes {@code childFd} in the child. */
    public record FdMapping(int ourFd, int childFd) {
    }

    /**
     * Spawns {@code argv[0]} with exactly the given environment, fds mapped as given, the
     * signal mask empty and every signal at its default action (the JVM's ignored signals must
     * not leak into the debuggee), in a process group of its own.
     *
     * @return the child's pid
     * @throws IllegalStateException with the reason when posix_spawn fails
     */
    public static int spawn(List<String> argv, List<String> environment, List<FdMapping> fds) {
        Memory actions = new Memory(FILE_ACTIONS_SIZE);
        Memory attributes = new Memory(ATTRIBUTES_SIZE);
        Memory emptySet = new Memory(SIGSET_SIZE);
        Memory allSignals = new Memory(SIGSET_SIZE);
        LibC.posix_spawn_file_actions_init(actions);
        LibC.posix_spawnattr_init(attributes);
        try {
            for (FdMapping mapping : fds) {
                check(LibC.posix_spawn_file_actions_adddup2(actions, mapping.ourFd(), mapping.childFd()), "adddup2");
            }
            LibC.sigemptyset(emptySet);
            LibC.sigfillset(allSignals);
            LibC.sigdelset(allSignals, Signal.SIGKILL.number());
            LibC.sigdelset(allSignals, Signal.SIGSTOP.number());
            check(LibC.posix_spawnattr_setsigmask(attributes, emptySet), "setsigmask");
            check(LibC.posix_spawnattr_setsigdefault(attributes, allSignals), "setsigdefault");
            check(LibC.posix_spawnattr_setpgroup(attributes, 0), "setpgroup");
            check(LibC.posix_spawnattr_setflags(attributes,
                    (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)), "setflags");
            int[] pid = new int[1];
            StringArray args = new StringArray(argv.toArray(String[]::new));
            StringArray env = new StringArray(environment.toArray(String[]::new));
            check(LibC.posix_spawn(pid, argv.get(0), actions, attributes, args, env), "posix_spawn " + argv.get(0));
            return pid[0];
        } finally {
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attributes);
        }
    }

    private static void check(int error, String what) {
        if (error != 0) {
            throw new IllegalStateException(what + " failed: " + Errno.describe(error));
        }
    }
}
