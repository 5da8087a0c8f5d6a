package dev.quiesce.dap;

import dev.quiesce.core.CoreFile;
import dev.quiesce.core.CoreFormatException;
import dev.quiesce.core.CoreTarget;
import dev.quiesce.core.CoreThread;
import dev.quiesce.engine.ThreadInfo;
import dev.quiesce.linux.SigInfo;
import dev.quiesce.linux.Signal;
import dev.quiesce.symbols.solib.SharedLibraries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;
import org.eclipse.lsp4j.debug.ProcessEventArguments;
import org.eclipse.lsp4j.debug.ProcessEventArgumentsStartMethod;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArgumentsReason;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArgumentsReason;
import org.eclipse.lsp4j.debug.ThreadsResponse;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * launch with {@code coreFile}: post-mortem debugging of a core of {@code program}. The core is
 * opened read-only (a {@link CoreTarget}); every thread is stopped for good, the one that took
 * the signal reported with reason {@code exception}. Requests that would run the program are
 * answered by the session with {@link #NOT_RUNNING}.
 */
final class CoreSession {
    static final String NOT_RUNNING = "the program is not running (core file)";

    private final Path program;
    private final CoreTarget target;
    private final SharedLibraries libraries;

    private CoreSession(Path program, CoreTarget target, SharedLibraries libraries) {
        this.program = program;
        this.target = target;
        this.libraries = libraries;
    }

    /** The core named by the launch arguments, or empty when they name none. */
    static Optional<CoreSession> open(Map<String, Object> args) {
        Object coreFile = args == null ? null : args.get("coreFile");
        if (coreFile == null || coreFile instanceof String s && s.isBlank()) {
            return Optional.empty();
        }
        if (!(coreFile instanceof String text)) {
            throw new IllegalArgumentException("launch argument \"coreFile\" must be a string: the path of the core file");
        }
        if (!(args.get("program") instanceof String programText) || programText.isBlank()) {
            throw new IllegalArgumentException("launch with \"coreFile\" needs \"program\": the executable the core is of");
        }
        Object cwdArg = args.get("cwd");
        Path cwd = cwdArg instanceof String c && !c.isBlank() ? Path.of(c).toAbsolutePath() : Path.of("").toAbsolutePath();
        Path program = cwd.resolve(programText).normalize();
        if (!Files.isRegularFile(program)) {
            throw new IllegalArgumentException("program not found: " + program);
        }
        CoreFile core;
        try {
            core = CoreFile.open(cwd.resolve(text).normalize());
        } catch (CoreFormatException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        try {
            return Optional.of(new CoreSession(program, new CoreTarget(core),
                    SharedLibraries.snapshot(core.memory(), core.auxv(), core.fileMappings(), program)));
        } catch (RuntimeException e) {
            core.close();
            throw new IllegalArgumentException("cannot read the modules of the core file " + core.path() + " with " + program + ": "
                    + RequestErrors.message(e));
        }
    }

    CoreTarget target() {
        return target;
    }

    SharedLibraries libraries() {
        return libraries;
    }

    /** A console warning when the core was not dumped by this program (as gdb warns), else empty. */
    Optional<String> mismatch() {
        for (var m : target.core().fileMappings()) {
            try {
                if (Files.isSameFile(Path.of(m.path()), program)) {
                    return Optional.empty();
                }
            } catch (IOException | RuntimeException e) {
                // a file gone since: not this one
            }
        }
        return Optional.of("Quiesce: warning: the core file was dumped by \"" + target.core().command() + "\", which did not map "
                + program + "; its symbols may not match.\n");
    }

    /** The process event and a thread event per thread (event thread). */
    void announce(IDebugProtocolClient client) {
        ProcessEventArguments process = new ProcessEventArguments();
        process.setName(program.toString());
        process.setSystemProcessId(target.pid());
        process.setIsLocalProcess(true);
        process.setStartMethod(ProcessEventArgumentsStartMethod.LAUNCH);
        process.setPointerSize(64);
        client.process(process);
        for (CoreThread t : target.core().threads()) {
            ThreadEventArguments e = new ThreadEventArguments();
            e.setReason(ThreadEventArgumentsReason.STARTED);
            e.setThreadId(t.tid());
            client.thread(e);
        }
    }

    /** What ended the process, on the console as gdb says it; then the stop of its first thread (event thread). */
    void stopped(IDebugProtocolClient client, java.util.function.Consumer<String> console) {
        Optional<SigInfo> signal = target.core().signal();
        console.accept("Quiesce: core file " + target.core().path() + " of " + program.getFileName() + " (pid " + target.pid() + "): "
                + signal.map(s -> "program terminated with " + SignalDescriptions.title(s.signal())).orElse("no signal recorded") + ".\n");
        StoppedEventArguments stopped = new StoppedEventArguments();
        stopped.setThreadId(target.core().threads().get(0).tid());
        stopped.setAllThreadsStopped(true);
        if (signal.isPresent()) {
            stopped.setReason(StoppedEventArgumentsReason.EXCEPTION);
            stopped.setDescription(SignalDescriptions.title(signal.get().signal()));
            stopped.setText(SignalDescriptions.details(signal.get()));
        } else {
            stopped.setReason(StoppedEventArgumentsReason.PAUSE);
            stopped.setDescription("Core file");
        }
        client.stopped(stopped);
    }

    ThreadsResponse threads() {
        List<ThreadInfo> infos = target.threads().join();
        return ThreadNames.response(target.pid(), infos);
    }

    /** The signal, for the thread that took it (the first); other threads did not stop for a signal. */
    ExceptionInfoResponse exceptionInfo(int tid) {
        Optional<SigInfo> signal = target.core().signal();
        if (signal.isEmpty() || target.core().threads().get(0).tid() != tid) {
            throw RequestErrors.error("thread " + tid + " did not stop for a signal");
        }
        SigInfo info = signal.get();
        ExceptionInfoResponse response = new ExceptionInfoResponse();
        response.setExceptionId(Signal.nameOf(info.signal()));
        response.setDescription(SignalDescriptions.title(info.signal()) + ": " + SignalDescriptions.details(info));
        response.setBreakMode(ExceptionBreakMode.ALWAYS);
        ExceptionDetails details = new ExceptionDetails();
        details.setMessage(SignalDescriptions.details(info));
        details.setTypeName("signal");
        details.setFullTypeName(Signal.nameOf(info.signal()));
        response.setDetails(details);
        return response;
    }

    void close() {
        target.core().close();
    }
}
