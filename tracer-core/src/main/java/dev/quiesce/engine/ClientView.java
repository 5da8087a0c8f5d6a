package dev.quiesce.engine;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * The client's view of the threads (what a DAP session has been told), as an engine: a pause
 * stops one thread (non-stop) or quiesces the whole process before the stop is reported
 * (all-stop); a thread is stopped for the client iff it was reported and not resumed since.
 * Tracer thread only, like every engine.
 */
final class ClientView implements Engine {
    static final Set<EventType> EVENTS = EnumSet.of(EventType.THREAD_START, EventType.QUIESCE, EventType.EXIT,
            EventType.SIGNAL);

    private final TracedProcess session;
    private final ProcessCore process;
    private final ProcessListener listener;
    private final StopMode mode;
    private final SignalPolicy signals;
    private EngineHandle handle;
    /** The signal each thread is stopped at (delivered or not on resume, as its policy says then). */
    private final java.util.Map<Integer, Integer> stoppedAtSignal = new java.util.HashMap<>();
    /** Threads the client was told are stopped. */
    private final Set<Integer> reported = new HashSet<>();
    /** All-stop: a stop waiting for the rest of the process to quiesce. */
    private ThreadStop pendingAllStop;
    /** All-stop: threads already quiesced for the pending stop. */
    private final Set<Integer> quiesced = new HashSet<>();
    private boolean allStopped;
    /**
     * All-stop: stops that happened while the process was being (or was) stopped for another,
     * reported one at a time, oldest first, instead of resuming: none is lost, none starves.
     */
    private final java.util.ArrayDeque<ThreadStop> pendingReports = new java.util.ArrayDeque<>();

    ClientView(TracedProcess session, StopMode mode, SignalPolicy signals) {
        this.session = session;
        this.process = session.core;
        this.listener = session.listener;
        this.mode = mode;
        this.signals = signals;
    }

    void attachTo(EngineHandle handle) {
        this.handle = handle;
    }

    boolean isReported(int tid) {
        return reported.contains(tid);
    }

    void pause(int tid) {
        if (mode == StopMode.ALL_STOP) {
            if (!allStopped && pendingAllStop == null) {
                quiesceAll(new ThreadStop(tid, StopReason.PAUSE, true));
            }
        } else if (!reported.contains(tid)) {
            process.control.engineStop(handle, tid);
        }
    }

    /** The program is released at its first instruction but reported stopped there. */
    void holdAtEntry(int tid) {
        process.control.engineResume(handle, tid, ResumeAction.STOP);
        reported.add(tid);
        allStopped = mode == StopMode.ALL_STOP;
        listener.threadStopped(session, new ThreadStop(tid, StopReason.ENTRY, allStopped));
    }

    void resume(int tid) {
        if (reported.remove(tid)) {
            allStopped = false;
            applySignalPolicy(tid);
            process.control.engineResume(handle, tid, ResumeAction.RESUME);
            listener.threadResumed(session, tid);
        }
    }

    void resumeAll() {
        if (mode == StopMode.ALL_STOP && allStopped && !pendingReports.isEmpty()) {
            ThreadStop next = pendingReports.poll();
            listener.threadStopped(session, next.withAllThreadsStopped(next.tid()));
            return;
        }
        allStopped = false;
        for (Integer tid : Set.copyOf(reported)) {
            reported.remove(tid);
            applySignalPolicy(tid);
            process.control.engineResume(handle, tid, ResumeAction.RESUME);
            listener.threadResumed(session, tid);
        }
    }

    // ---- syscalls ----

    /** The engine that catches syscall entries for the client's catchpoints (process-wide, while any). */
    private EngineHandle catcher;
    private Set<Long> catchNumbers = Set.of();

    /**
     * Catches these syscalls' entries. Those the seccomp filter traps need nothing more; any
     * other makes every thread run with PTRACE_SYSCALL (a stop at each syscall) while caught.
     */
    void setCatchpoints(Set<Long> numbers) {
        catchNumbers = Set.copyOf(numbers);
        Set<EventType> needed = EnumSet.of(EventType.SECCOMP);
        if (!process.seccompTraced.containsAll(numbers)) {
            needed.add(EventType.SYSCALL);
        }
        if (catcher != null && (numbers.isEmpty() || !catcher.mask.equals(needed))) {
            process.control.engineDetach(catcher);
            catcher = null;
        }
        if (!numbers.isEmpty() && catcher == null) {
            catcher = session.attachInternal(this::caught, needed, 0);
        }
    }

    private ResumeAction caught(ThreadEvent event) {
        if (reported.contains(event.tid())) {
            return ResumeAction.RESUME;
        }
        if (event instanceof ThreadEvent.Syscall s && s.entry() && catchNumbers.contains(s.number())) {
            stopForSyscall(s);
        } else if (event instanceof ThreadEvent.SeccompSyscall s && catchNumbers.contains(s.number())) {
            stopForSyscall(new ThreadEvent.Syscall(s.tid(), true, s.number(), s.info()));
        }
        return ResumeAction.RESUME; // the client's own STOP holds the thread if it stopped
    }

    /** Runs one stopped thread to its next syscall entry or exit (a PTRACE_SYSCALL for it alone). */
    void stepSyscall(int tid) {
        if (!reported.contains(tid)) {
            throw new TracerException("thread " + tid + " is running; pause it before stepping to a syscall");
        }
        EngineHandle[] self = new EngineHandle[1];
        self[0] = session.attachInternal(event -> {
            if (event instanceof ThreadEvent.Syscall s) {
                if (!reported.contains(s.tid())) { // a catchpoint may have reported this very stop
                    stopForSyscall(s); // the client's STOP first: the detach re-evaluates the thread
                }
                process.control.engineDetach(self[0]); // one syscall-stop, then plain PTRACE_CONT again
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.SYSCALL), tid);
        resume(tid);
        listener.threadContinued(session, tid);
    }

    private void stopForSyscall(ThreadEvent.Syscall s) {
        String text = s.entry()
                ? "syscall entry: " + dev.quiesce.syscalls.SyscallDecoder.entry(s.info(), process.memory)
                : "syscall exit: " + dev.quiesce.syscalls.SyscallDecoder.exit(
                        dev.quiesce.syscalls.SyscallTable.name(s.number()), s.info());
        reportStop(new ThreadStop(s.tid(), StopReason.SYSCALL, false, java.util.Optional.empty(),
                java.util.Optional.of(text)));
    }

    /**
     * Holds a thread another engine stopped (a catchpoint, a breakpoint, a finished step) and
     * tells the client: at once in non-stop; in all-stop once the process is quiesced, or
     * queued behind the stop being reported.
     */
    void reportStop(ThreadStop stop) {
        int tid = stop.tid();
        if (reported.contains(tid)) {
            return; // at most one stop per thread until the client resumes it
        }
        process.control.engineResume(handle, tid, ResumeAction.STOP);
        if (mode == StopMode.NON_STOP) {
            reported.add(tid);
            listener.threadStopped(session, stop);
        } else if (!allStopped && pendingAllStop == null) {
            quiesceAll(stop);
        } else {
            pendingReports.add(stop);
        }
    }

    /** Continuing from a signal stop delivers the signal if its policy says pass (as it is now). */
    private void applySignalPolicy(int tid) {
        Integer signal = stoppedAtSignal.remove(tid);
        if (signal != null && !signals.of(signal).pass()) {
            process.thread(tid).pendingSignal = 0;
        }
    }

    private ResumeAction signal(ThreadEvent.SignalReceived event) {
        int tid = event.tid();
        int signal = event.info().signal();
        if (signals.stops(signal)) {
            stoppedAtSignal.put(tid, signal);
            if (mode == StopMode.NON_STOP) {
                reported.add(tid);
                listener.threadStopped(session, new ThreadStop(tid, StopReason.SIGNAL, false,
                        java.util.Optional.of(event.info())));
            } else {
                ThreadStop stop = new ThreadStop(tid, StopReason.SIGNAL, true, java.util.Optional.of(event.info()));
                if (!allStopped && pendingAllStop == null) {
                    quiesceAll(stop);
                } else {
                    pendingReports.add(stop); // reported when the client resumes the process
                }
            }
            return ResumeAction.STOP;
        }
        SignalPolicy.Handling handling = signals.of(signal);
        if (!handling.pass()) {
            process.thread(tid).pendingSignal = 0;
        }
        if (handling.print()) {
            listener.signalPrinted(session, tid, event.info(), handling.pass());
        }
        return ResumeAction.RESUME;
    }

    /** Forgets every hold (terminate, detach): the client's stops no longer apply, and it is told. */
    void releaseAll() {
        pendingAllStop = null;
        pendingReports.clear();
        quiesced.clear();
        Set<Integer> wereStopped = Set.copyOf(reported);
        resumeAll();
        for (int tid : wereStopped) {
            listener.threadContinued(session, tid);
        }
    }

    private void quiesceAll(ThreadStop stop) {
        pendingAllStop = stop;
        quiesced.clear();
        process.control.engineStopAll(handle);
        finishIfQuiet();
    }

    @Override
    public ResumeAction report(ThreadEvent event) {
        int tid = event.tid();
        if (event instanceof ThreadEvent.SignalReceived received) {
            return signal(received);
        }
        if (event instanceof ThreadEvent.Quiesced) {
            if (mode == StopMode.NON_STOP) {
                // A pause that raced another stop (a breakpoint hit reported from the same wait
                // status, before this quiesce) is answered by that stop, as in gdb's non-stop
                // mode: the thread stopped once, so the client hears of one stop.
                if (reported.add(tid)) {
                    listener.threadStopped(session, new ThreadStop(tid, StopReason.PAUSE, false));
                }
            } else {
                quiesced.add(tid);
                finishIfQuiet();
            }
            return ResumeAction.STOP;
        }
        if (event instanceof ThreadEvent.ThreadStarted && mode == StopMode.ALL_STOP
                && (allStopped || pendingAllStop != null)) {
            // A thread born while the process is (being) stopped stays stopped with it.
            quiesced.add(tid);
            if (allStopped) {
                reported.add(tid);
            }
            finishIfQuiet();
            return ResumeAction.STOP;
        }
        if (event instanceof ThreadEvent.Exited) {
            pendingReports.removeIf(stop -> stop.tid() == tid);
            reported.remove(tid);
            stoppedAtSignal.remove(tid);
            quiesced.remove(tid);
            finishIfQuiet();
        }
        return ResumeAction.RESUME;
    }

    private void finishIfQuiet() {
        if (pendingAllStop == null) {
            return;
        }
        Set<Integer> live = process.liveTids();
        if (!quiesced.containsAll(live)) {
            return;
        }
        ThreadStop stop = pendingAllStop;
        pendingAllStop = null;
        allStopped = true;
        reported.addAll(live);
        int tid = live.contains(stop.tid()) ? stop.tid() : live.stream().findFirst().orElse(stop.tid());
        listener.threadStopped(session, stop.withAllThreadsStopped(tid));
    }
}
