package dev.quiesce.engine;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * One session's view of the threads (what its client has been told), as an engine: a thread is
 * stopped for the client iff it was reported and not resumed since. Each session has its own
 * ({@link TracedProcess}), and holds only the threads it stopped; a thread runs when no view
 * and no other engine holds it. How a stop is reported is the mode's: {@link NonStopView} stops
 * and reports one thread, {@link AllStopView} quiesces the whole process first. Tracer thread
 * only, like every engine.
 */
abstract sealed class ClientView implements Engine permits NonStopView, AllStopView {
    static final Set<EventType> EVENTS = EnumSet.of(EventType.THREAD_START, EventType.QUIESCE, EventType.EXIT,
            EventType.SIGNAL);

    final TracedProcess session;
    final ProcessCore process;
    final ProcessListener listener;
    private final SignalPolicy signals;
    EngineHandle handle;
    /** Threads the client was told are stopped. */
    final Set<Integer> reported = new HashSet<>();

    ClientView(TracedProcess session, SignalPolicy signals) {
        this.session = session;
        this.process = session.core;
        this.listener = session.listener;
        this.signals = signals;
    }

    static ClientView of(TracedProcess session, StopMode mode, SignalPolicy signals) {
        return mode == StopMode.ALL_STOP ? new AllStopView(session, signals) : new NonStopView(session, signals);
    }

    void attachTo(EngineHandle handle) {
        this.handle = handle;
    }

    boolean isReported(int tid) {
        return reported.contains(tid);
    }

    // ---- what the mode decides ----

    /** Stops this thread (non-stop) or the process (all-stop) for the client. */
    abstract void pause(int tid);

    /** Resumes every thread the client sees stopped (all-stop: or reports the next queued stop). */
    abstract void resumeAll();

    /** Tells the client of a stop of a thread this view now holds (all-stop: once the process is quiet). */
    abstract void tell(ThreadStop stop);

    /** Whether a stop of one thread is reported as a stop of all. */
    abstract boolean stopsAll();

    /** An event other than a signal: the mode's answer. */
    abstract ResumeAction threadEvent(ThreadEvent event);

    /** Stops queued or under way are forgotten (terminate, detach). */
    abstract void forgetPending();

    /** A resume of a thread the client saw stopped. */
    void resumed(int tid) {
    }

    // ---- common ----

    /** The program is released at its first instruction but reported stopped there. */
    void holdAtEntry(int tid) {
        process.control.engineResume(handle, tid, ResumeAction.STOP);
        reported.add(tid);
        entryHeld();
        listener.threadStopped(session, new ThreadStop(tid, StopReason.ENTRY, stopsAll()));
    }

    /** The whole program is held at its entry (all-stop: that is all threads stopped). */
    void entryHeld() {
    }

    void resume(int tid) {
        if (reported.remove(tid)) {
            resumed(tid);
            process.control.engineResume(handle, tid, ResumeAction.RESUME);
            listener.threadResumed(session, tid);
        }
    }

    /** Resumes every thread the client was told is stopped. */
    void resumeReported() {
        for (Integer tid : Set.copyOf(reported)) {
            reported.remove(tid);
            process.control.engineResume(handle, tid, ResumeAction.RESUME);
            listener.threadResumed(session, tid);
        }
    }

    /**
     * Holds a thread another engine stopped (a catchpoint, a breakpoint, a finished step) and
     * tells the client: at once in non-stop; in all-stop once the process is quiesced, or
     * queued behind the stop being reported.
     */
    void reportStop(ThreadStop stop) {
        if (reported.contains(stop.tid())) {
            return; // at most one stop per thread until the client resumes it
        }
        process.control.engineResume(handle, stop.tid(), ResumeAction.STOP);
        tell(stop);
    }

    /** Forgets every hold (terminate, detach): the client's stops no longer apply, and it is told. */
    void releaseAll() {
        forgetPending();
        Set<Integer> wereStopped = Set.copyOf(reported);
        resumeAll();
        for (int tid : wereStopped) {
            listener.threadContinued(session, tid);
        }
    }

    // ---- signals ----

    /**
     * This view's answer for a signal the thread stopped with: delivered if this session's
     * policy says pass, as the policy is when the thread restarts (a change made while the
     * client looks at the stop counts).
     */
    @Override
    public boolean delivers(int tid, int signal) {
        return signals.of(signal).pass();
    }

    private ResumeAction signal(ThreadEvent.SignalReceived event) {
        int tid = event.tid();
        int signal = event.info().signal();
        if (signals.stops(signal)) {
            tell(new ThreadStop(tid, StopReason.SIGNAL, stopsAll(), Optional.of(event.info())));
            return ResumeAction.STOP;
        }
        SignalPolicy.Handling handling = signals.of(signal);
        if (handling.print()) {
            listener.signalPrinted(session, tid, event.info(), handling.pass());
        }
        return ResumeAction.RESUME;
    }

    @Override
    public final ResumeAction report(ThreadEvent event) {
        if (event instanceof ThreadEvent.SignalReceived received) {
            return signal(received);
        }
        return threadEvent(event);
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
            reportStop(ThreadStop.syscall(s));
        } else if (event instanceof ThreadEvent.SeccompSyscall s && catchNumbers.contains(s.number())) {
            reportStop(ThreadStop.syscall(new ThreadEvent.Syscall(s.tid(), true, s.number(), s.info())));
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
                    reportStop(ThreadStop.syscall(s)); // the client's STOP first: the detach re-evaluates the thread
                }
                process.control.engineDetach(self[0]); // one syscall-stop, then plain PTRACE_CONT again
            }
            return ResumeAction.RESUME;
        }, EnumSet.of(EventType.SYSCALL), tid);
        resume(tid);
        listener.threadContinued(session, tid);
    }
}
