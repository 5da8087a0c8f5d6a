package dev.quiesce.engine;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * A client view in all-stop mode: a stop quiesces every thread (for this session: the others'
 * views are not asked) before it is reported with allThreadsStopped, and a continue resumes
 * them all. Stops that happen meanwhile are queued and reported one at a time.
 */
final class AllStopView extends ClientView {
    /** A stop waiting for the rest of the process to quiesce. */
    private ThreadStop pendingAllStop;
    /** Threads already quiesced for the pending stop. */
    private final Set<Integer> quiesced = new HashSet<>();
    private boolean allStopped;
    /**
     * Stops that happened while the process was being (or was) stopped for another, reported
     * one at a time, oldest first, instead of resuming: none is lost, none starves.
     */
    private final ArrayDeque<ThreadStop> pendingReports = new ArrayDeque<>();

    AllStopView(TracedProcess session, SignalPolicy signals) {
        super(session, signals);
    }

    private boolean stopping() {
        return allStopped || pendingAllStop != null;
    }

    @Override
    void pause(int tid) {
        if (!stopping()) {
            quiesceAll(new ThreadStop(tid, StopReason.PAUSE, true));
        }
    }

    @Override
    void entryHeld() {
        allStopped = true;
    }

    @Override
    void resumed(int tid) {
        allStopped = false;
    }

    @Override
    void resumeAll() {
        if (allStopped && !pendingReports.isEmpty()) {
            ThreadStop next = pendingReports.poll();
            listener.threadStopped(session, next.withAllThreadsStopped(next.tid()));
            return;
        }
        allStopped = false;
        resumeReported();
    }

    @Override
    void tell(ThreadStop stop) {
        if (!stopping()) {
            quiesceAll(stop);
        } else {
            pendingReports.add(stop); // reported when the client resumes the process
        }
    }

    @Override
    boolean stopsAll() {
        return true;
    }

    @Override
    void forgetPending() {
        pendingAllStop = null;
        pendingReports.clear();
        quiesced.clear();
    }

    @Override
    ResumeAction threadEvent(ThreadEvent event) {
        int tid = event.tid();
        if (event instanceof ThreadEvent.Quiesced) {
            quiesced.add(tid);
            finishIfQuiet();
            return ResumeAction.STOP;
        }
        if (event instanceof ThreadEvent.ThreadStarted && stopping()) {
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
            quiesced.remove(tid);
            finishIfQuiet();
        }
        return ResumeAction.RESUME;
    }

    private void quiesceAll(ThreadStop stop) {
        pendingAllStop = stop;
        quiesced.clear();
        process.control.engineStopAll(handle);
        finishIfQuiet();
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
