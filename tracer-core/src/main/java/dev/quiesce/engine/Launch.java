package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.NativeFiles;
import dev.quiesce.linux.FdChannel;
import dev.quiesce.linux.Pipe;
import dev.quiesce.linux.Pty;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.Spawner;
import dev.quiesce.linux.Spawner.FdMapping;
import dev.quiesce.linux.WaitStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One launch between posix_spawn of the launcher and the program's exec (tracer thread only).
 *
 * <p>The launcher (native/src/launcher.c) applies cwd and personality, then blocks reading the
 * "go" pipe. We PTRACE_SEIZE it while it blocks, write the go byte, and wait for
 * PTRACE_EVENT_EXEC: from then on the process is the program, stopped at its first instruction.
 * If the launcher exits instead, the error pipe says why.
 *
 * <p>A launcher started in a terminal by the client ({@link #seize}) is the same, except that it
 * is not our child, has the terminal as its stdio, and talks over a {@link TerminalHandshake}.
 * So is a process caught in its execve by attach's waitFor ({@link ExecCatcher}), which is then
 * treated as attached.
 */
final class Launch {
    static final int OPTIONS = Tracer.TRACE_OPTIONS | Ptrace.O_EXITKILL;
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;

    private final Tracer tracer;
    private final LaunchSpec spec;
    private final ProcessListener listener;
    private final OutputListener output;
    private final CompletableFuture<TracedProcess> result;
    /** The program's stdio: null for a launcher in a terminal, whose stdio is that terminal. */
    private final Pipe stdin;
    /** Terminals where the system has them (output arrives line by line, as printed), else pipes. */
    private final FdChannel stdout;
    private final FdChannel stderr;
    /** A process we did not spawn, held before its exec (terminal launcher, caught exec), or null. */
    private final HeldExec terminal;
    /** The stdin file's descriptor while it is being handed to the child, or -1. */
    private int stdinFile = -1;
    private final Pipe errors;
    private final Path launcher = NativeFiles.launcher();
    private int pid;

    private Launch(Tracer tracer, LaunchSpec spec, ProcessListener listener, OutputListener output,
            CompletableFuture<TracedProcess> result, HeldExec terminal) {
        this.tracer = tracer;
        this.spec = spec;
        this.listener = listener;
        this.output = output;
        this.result = result;
        this.terminal = terminal;
        boolean spawned = terminal == null;
        this.stdin = spawned ? new Pipe() : null;
        this.stdout = spawned ? outputChannel() : null;
        this.stderr = spawned ? outputChannel() : null;
        this.errors = spawned ? new Pipe() : null;
    }

    int pid() {
        return pid;
    }

    private static FdChannel outputChannel() {
        return Pty.open().<FdChannel>map(p -> p).orElseGet(Pipe::new);
    }

    static Launch spawn(Tracer tracer, LaunchSpec spec, ProcessListener listener, OutputListener output,
            CompletableFuture<TracedProcess> result) {
        Launch launch = new Launch(tracer, spec, listener, output, result, null);
        launch.start();
        return launch;
    }

    /** Seizes thread {@code tid}, held before its exec by {@code held}, and lets it exec as process {@code pid}. */
    static Launch seize(Tracer tracer, LaunchSpec spec, ProcessListener listener, int tid, int pid, HeldExec held,
            CompletableFuture<TracedProcess> result) {
        Launch launch = new Launch(tracer, spec, listener, null, result, held);
        launch.pid = pid;
        try {
            if (!held.attached() && !launch.isLauncherImage()) {
                throw new TracerException("process " + pid + " that answered from the terminal is not quiesce-launcher");
            }
            Ptrace.seize(tid, held.attached() ? Tracer.TRACE_OPTIONS : OPTIONS);
        } catch (LastErrorException e) {
            throw new TracerException("cannot trace " + spec.program().getFileName() + " (process " + pid
                    + "): PTRACE_SEIZE failed: " + Errno.describe(e.getErrorCode()));
        }
        held.release();
        return launch;
    }

    /** The launcher's command line for {@code spec}; {@code handshake}: the socket of a launcher in a terminal, or null. */
    static List<String> command(LaunchSpec spec, Path handshake) {
        List<String> argv = new ArrayList<>();
        argv.add(NativeFiles.launcher().toString());
        if (handshake != null) {
            argv.add("--handshake");
            argv.add(handshake.toString());
        }
        argv.add("--cwd");
        argv.add(spec.cwd().toString());
        if (spec.disableAslr()) {
            argv.add("--no-aslr");
        }
        if (!spec.seccompCatch().isEmpty()) {
            argv.add("--seccomp-trace");
            argv.add(spec.seccompCatch().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")));
        }
        argv.add("--");
        argv.add(spec.program().toString());
        argv.addAll(spec.args());
        return argv;
    }

    private void start() {
        Pipe go = new Pipe();
        List<String> argv = command(spec, null);
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : spec.environment().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        if (spec.stdin() != null) {
            try {
                stdinFile = LibC.open(spec.stdin().toString(), O_RDONLY | O_CLOEXEC);
            } catch (LastErrorException e) {
                go.close();
                closeAll();
                throw new TracerException("cannot open stdin file " + spec.stdin() + ": " + Errno.describe(e.getErrorCode()));
            }
        }
        try {
            pid = Spawner.spawn(argv, env, List.of(
                    new FdMapping(stdinFile >= 0 ? stdinFile : stdin.readFd(), 0),
                    new FdMapping(stdout.writeFd(), 1),
                    new FdMapping(stderr.writeFd(), 2),
                    new FdMapping(go.readFd(), 3),
                    new FdMapping(errors.writeFd(), 4)));
        } catch (RuntimeException e) {
            go.close();
            closeAll();
            throw new TracerException("cannot start " + spec.program() + ": " + e.getMessage(), e);
        }
        stdin.closeRead();
        closeStdinFile();
        stdout.closeWrite();
        stderr.closeWrite();
        errors.closeWrite();
        go.closeRead();
        try {
            Ptrace.seize(pid, OPTIONS);
        } catch (LastErrorException e) {
            LibC.kill(pid, Signal.SIGKILL.number());
            go.close();
            throw new TracerException("cannot trace " + spec.program() + ": PTRACE_SEIZE failed: "
                    + Errno.describe(e.getErrorCode()));
        }
        LibC.write(go.writeFd(), new byte[] {1}, 1);
        go.closeWrite();
    }

    /** Handles a wait status of the launcher; returns true when the launch is over (either way). */
    boolean handle(WaitStatus ws) {
        if (ws.stopped()) {
            if (ws.event() == Ptrace.EVENT_EXEC && !isLauncherImage()) {
                becomeProcess();
                return true;
            }
            // Nothing else should stop the launcher; let it go on, signal and all.
            int signal = ws.event() == 0 ? ws.stopSignal() : 0;
            try {
                Ptrace.cont(pid, signal);
            } catch (LastErrorException ignored) {
                // it died; its exit status follows
            }
            return false;
        }
        String reason = readError();
        closeAll();
        result.completeExceptionally(new TracerException(reason.isEmpty()
                ? "cannot start " + spec.program() + ": the launcher " + describe(ws)
                : reason));
        return true;
    }

    /**
     * posix_spawn returns when the child's execve releases the parent's memory (the vfork
     * completion), which is before that execve reports PTRACE_EVENT_EXEC. A seize in that
     * window sees an exec event for the launcher's own image: that one is not the program's.
     * (Seen here: about one launch in ten under load.)
     */
    private boolean isLauncherImage() {
        try {
            return Files.isSameFile(Path.of("/proc", Integer.toString(pid), "exe"), launcher);
        } catch (IOException e) {
            return false;
        }
    }

    private void becomeProcess() {
        if (terminal != null) {
            terminal.close();
        } else {
            errors.closeRead();
        }
        boolean attached = terminal != null && terminal.attached();
        ProcessCore process = new ProcessCore(tracer, pid, spec.program(),
                stdin != null ? stdin.writeFd() : -1, !attached, spec.seccompCatch());
        TracedProcess session = process.addSession(spec.stopMode(), listener, !attached);
        if (attached) {
            process.tracerOwned.holdAtExecUntilStart();
        }
        TracedThread main = process.tracerOwned.adoptThread(pid);
        main.kernel = KernelState.STOPPED; // at the exec event
        main.initialStopSeen = true;
        main.atKernelEvent = true; // inside execve: no syscall may be injected before it runs
        process.tracerOwned.holdMainAtExec(main);
        tracer.register(process);
        if (terminal != null) {
            process.tracerOwned.noOutput(); // it writes to its terminal
        } else {
            process.tracerOwned.startOutput(stdout.readFd(), stderr.readFd(), output);
        }
        result.complete(session);
    }

    private String readError() {
        if (terminal != null) {
            return terminal.error();
        }
        byte[] buffer = new byte[4096];
        try {
            long n = LibC.read(errors.readFd(), buffer, buffer.length);
            if (n <= 0) {
                return "";
            }
            String line = new String(buffer, 0, (int) n, StandardCharsets.UTF_8).strip();
            int tab = line.indexOf('\t');
            return tab >= 0 ? line.substring(tab + 1) : line;
        } catch (LastErrorException e) {
            return "";
        }
    }

    private static String describe(WaitStatus ws) {
        return ws.exited() ? "exited with code " + ws.exitCode() : "was killed by " + Signal.nameOf(ws.termSignal());
    }

    private void closeStdinFile() {
        if (stdinFile >= 0) {
            LibC.close(stdinFile);
            stdinFile = -1;
        }
    }

    private void closeAll() {
        if (terminal != null) {
            terminal.close();
            return;
        }
        closeStdinFile();
        stdin.close();
        stdout.close();
        stderr.close();
        errors.close();
    }
}
