package dev.quiesce.engine;

import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.WaitStatus;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A faulting instruction {@link MemoryAccess} does not decode (read-modify-write, lock, string,
 * vector; or a page of a shared mapping), executed for real: every other thread is held (as
 * for a breakpoint step-over), every trapped page gets the program's own protection back, the
 * thread single-steps, the pages are trapped again, the others released. Nobody else can touch
 * a page while it is open. Should the instruction fault under the program's own protection, that
 * SIGSEGV is the program's. One at a time; a thread that needs one meanwhile is held with the
 * others and faults again once released. Tracer thread only.
 */
final class PageStep {
    private static final Logger LOG = Logger.getLogger(PageStep.class.getName());

    private final ProcessCore process;
    private final PageTraps traps;
    private TracedThread thread;
    private PageTraps.Page page;
    private long faultAddress;
    /** How far from the fault address its access is taken to reach ({@link MemoryAccess#widthOf}). */
    private int width;
    private boolean wasStepping;
    private boolean stepping;
    private final Set<TracedThread> held = new LinkedHashSet<>();

    PageStep(ProcessCore process, PageTraps traps) {
        this.process = process;
        this.traps = traps;
    }

    boolean busy() {
        return thread != null;
    }

    void begin(TracedThread t, PageTraps.Page p, long faultAddress, int width) {
        if (thread != null) {
            return; // t is held by the current one: it runs into the fault again when released
        }
        LOG.fine(() -> String.format("thread %d steps the instruction that faulted at 0x%x", t.tid, faultAddress));
        thread = t;
        page = p;
        this.faultAddress = faultAddress;
        this.width = width;
        wasStepping = t.lastRestart.steps();
        t.pageStepping = true;
        for (TracedThread other : process.threads.values()) {
            if (other != t && other.live()) {
                other.suspendCount++;
                held.add(other);
                if (other.running() && !other.interruptSent) {
                    process.tracerOwned.interrupt(other);
                }
            }
        }
        progress();
    }

    void holdNewThread(TracedThread t) {
        if (thread != null) {
            t.suspendCount++;
            held.add(t);
        }
    }

    /** Once every other thread is stopped: open the pages and step. */
    void progress() {
        if (thread == null || stepping) {
            return;
        }
        for (TracedThread t : held) {
            if (t.running()) {
                return;
            }
        }
        try {
            for (PageTraps.Page p : traps.pages.values()) {
                if (p.trapping()) {
                    traps.protect(thread, p.address, p.programProt);
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("cannot open a watched page to step thread " + thread.tid + ": " + e.getMessage());
            TracedThread t = thread;
            end(true);
            process.tracerOwned.settle(t);
            return;
        }
        stepping = true;
        try {
            Ptrace.singleStep(thread.tid, 0);
        } catch (RuntimeException e) {
            // ESRCH: gone; its exit ends this step
        }
        thread.kernel = KernelState.RUNNING;
    }

    /**
     * The stepping thread stopped (first thing in {@link StopHandler}): pages trapped again,
     * others released. True if the stop was the step's own trap (the access was reported);
     * false: decode the stop as usual (a signal came first, or the instruction faulted under
     * the program's own protection: that SIGSEGV is the program's).
     */
    boolean finish(TracedThread t, WaitStatus ws) {
        if (thread != t || !stepping) {
            return false;
        }
        long at = faultAddress;
        boolean stepped = wasStepping;
        boolean exiting = ws.event() == Ptrace.EVENT_EXIT;
        end(!exiting);
        if (exiting) {
            t.exiting = true;
            return true;
        }
        if (!ws.syscallStop() && ws.event() == 0 && ws.stopSignal() == Signal.SIGTRAP.number()) {
            t.lastRestart = ResumeAction.RESUME;
            t.stoppedAtBreakpoint = -1;
            // si_addr is where the access met the page
            traps.accessed(t, at, width, ThreadEvent.PageAccess.Kind.UNKNOWN, stepped);
            return true;
        }
        if (!ws.syscallStop() && ws.event() == 0 && ws.stopSignal() == Signal.SIGSEGV.number()) {
            t.programFault = true;
        }
        return false;
    }

    /** A thread died: it no longer counts; the stepping one ends the step. */
    void threadGone(TracedThread t) {
        if (thread == null) {
            return;
        }
        held.remove(t);
        if (thread == t) {
            thread.pageStepping = false;
            thread = null;
            stepping = false;
            retrap(null);
            release();
        } else {
            progress();
        }
    }

    private void end(boolean retrap) {
        TracedThread t = thread;
        thread = null;
        boolean wasOpen = stepping;
        stepping = false;
        t.pageStepping = false;
        if (retrap && wasOpen) {
            retrap(t);
        }
        release();
    }

    private void retrap(TracedThread t) {
        try {
            for (PageTraps.Page p : traps.pages.values()) {
                if (p.trapping()) {
                    traps.protect(t, p.address, p.trapProt);
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("cannot trap a watched page again: " + e.getMessage());
        }
    }

    private void release() {
        Set<TracedThread> was = Set.copyOf(held);
        held.clear();
        for (TracedThread other : was) {
            other.suspendCount--;
        }
        for (TracedThread other : was) {
            if (other.alive()) {
                process.tracerOwned.settle(other);
            }
        }
    }
}
