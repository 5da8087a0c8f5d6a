package dev.quiesce.engine;

/** A client view in non-stop mode: a stop stops and is reported for that thread alone. */
final class NonStopView extends ClientView {
    NonStopView(TracedProcess session, SignalPolicy signals) {
        super(session, signals);
    }

    @Override
    void pause(int tid) {
        if (!reported.contains(tid)) {
            process.control.engineStop(handle, tid);
        }
    }

    @Override
    void resumeAll() {
        resumeReported();
    }

    @Override
    void tell(ThreadStop stop) {
        reported.add(stop.tid());
        listener.threadStopped(session, stop);
    }

    @Override
    boolean stopsAll() {
        return false;
    }

    @Override
    void forgetPending() {
    }

    @Override
    ResumeAction threadEvent(ThreadEvent event) {
        int tid = event.tid();
        if (event instanceof ThreadEvent.Quiesced) {
            // A pause that raced another stop (a breakpoint hit reported from the same wait
            // status, before this quiesce) is answered by that stop, as in gdb's non-stop
            // mode: the thread stopped once, so the client hears of one stop.
            if (reported.add(tid)) {
                listener.threadStopped(session, new ThreadStop(tid, StopReason.PAUSE, false));
            }
            return ResumeAction.STOP;
        }
        if (event instanceof ThreadEvent.Exited) {
            reported.remove(tid);
        }
        return ResumeAction.RESUME;
    }
}
