package dev.quiesce.debugger.watch;

import dev.quiesce.debugger.TracerWaits;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.HardwareWatch;
import dev.quiesce.engine.MemoryRange;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.Registers;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The data breakpoints of one session, watched in one of three ways:
 * <ul>
 * <li><b>hardware</b>: the debug registers of every thread ({@link TracedProcess#setHardwareWatchpoints});
 *     the CPU traps right after the accessing instruction, the tracer hears a
 *     {@link ThreadEvent.WatchpointHit}. Up to four, of 1, 2, 4 or 8 aligned bytes.</li>
 * <li><b>software, page protection</b>, where hardware does not fire ({@link HardwareProbe}), is
 *     forced ({@code -Dquiesce.watch.software=true}) or cannot cover the set, and no watched
 *     range is on a stack: the pages under the ranges are protected
 *     ({@link TracedProcess#trapPageAccesses}) and each access that overlaps a range comes as a
 *     {@link ThreadEvent.PageAccess}, done, with the pc past the instruction. Reads too
 *     (PROT_NONE) when a read or readWrite watch is set. Threads that do not touch the pages
 *     run at full speed.</li>
 * <li><b>software, single-stepping</b>, when a range is on a stack (a local: a protected stack
 *     page would fault at every push, and the kernel could not write a signal frame there):
 *     every thread single-steps in the tracer and the watched bytes are compared after each
 *     instruction, with no round trip to the client. Writes only.</li>
 * </ul>
 * As gdb's {@code watch}, a write that leaves the value as it was does not stop. A watchpoint on
 * a local ends when its frame returns (a breakpoint at the return address, checked against the
 * frame's CFA): the thread stops with reason {@link StopReason#WATCHPOINT_SCOPE}.
 */
public final class DataBreakpoints {
    private static final Logger LOG = Logger.getLogger(DataBreakpoints.class.getName());
    private static final long TIMEOUT_SECONDS = 10;

    /** Conditions by the expression evaluator of the values layer (tracer thread). */
    public interface Conditions {
        boolean holds(TracedProcess process, int tid, Registers registers, String condition);
    }

    /** A spec's outcome: the data breakpoint, or why it could not be set. */
    public record Outcome(Optional<DataBreakpoint> breakpoint, Optional<String> problem) {
        static Outcome of(DataBreakpoint bp) {
            return new Outcome(Optional.of(bp), Optional.empty());
        }

        static Outcome refused(String why) {
            return new Outcome(Optional.empty(), Optional.of(why));
        }
    }

    private final AtomicInteger ids = new AtomicInteger(1);
    private volatile Conditions conditions;
    private volatile TracedProcess process;
    private EngineHandle handle;
    /** Bumped by each set and bind: a page traps' answer acts only for the newest. */
    private int generation;
    /** Read on the tracer thread; replaced whole. */
    private volatile List<DataBreakpoint> active = List.of();
    /** The hardware slots' order: slot i watches hardware.get(i). */
    private volatile List<DataBreakpoint> hardware = List.of();
    /** Software watching by single-stepping every thread. */
    private volatile boolean software;
    /** Software watching by page protection. */
    private volatile boolean pages;
    private final Set<Long> scopeBreakpoints = java.util.concurrent.ConcurrentHashMap.newKeySet(); // read on the tracer thread

    public void setConditions(Conditions conditions) {
        this.conditions = conditions;
    }

    public static boolean softwareForced() {
        return Boolean.getBoolean("quiesce.watch.software");
    }

    /** Whether watchpoints would be hardware ones here (not forced off, and the probe saw them fire). */
    public static boolean hardwareAvailable() {
        return !softwareForced() && HardwareProbe.fires();
    }

    /** Binds to a process (launched, attached, restarted); the old one's watchpoints go with it. */
    public void bind(TracedProcess process) {
        EngineHandle fresh;
        try { // the trip to the tracer without the lock; the engine ignores events until it is bound
            fresh = process.attach(event -> process == this.process ? report(event) : ResumeAction.RESUME,
                    EnumSet.of(EventType.WATCHPOINT, EventType.STEP, EventType.THREAD_START,
                    EventType.BREAKPOINT, EventType.PAGE_ACCESS), 0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot attach the data breakpoint engine: " + e.getMessage(), e);
        }
        EngineHandle old;
        synchronized (this) {
            old = handle;
            generation++; // a set still waiting for the old process's page traps changes nothing more
            active = List.of();
            hardware = List.of();
            software = false;
            pages = false;
            scopeBreakpoints.clear();
            this.handle = fresh; // before process: the engine acts once process is this one
            this.process = process;
        }
        if (old != null) {
            old.detach();
        }
    }

    /** Whether the current set is in the debug registers (false: software, or none). */
    public boolean usesHardware() {
        return !hardware.isEmpty();
    }

    /** How the current set is watched, as a setDataBreakpoints message says it. */
    public String how() {
        return !hardware.isEmpty() ? "hardware watchpoint" : pages ? "software watchpoint: page protection" : "software watchpoint: single-stepping";
    }

    public List<DataBreakpoint> active() {
        return active;
    }

    /** Replaces every data breakpoint (DAP's setDataBreakpoints); one outcome per spec, in order. */
    public List<Outcome> set(List<DataBreakpoint.Spec> specs) {
        List<Outcome> out = new ArrayList<>();
        CompletableFuture<Void> done;
        boolean hardwareAvailable = hardwareAvailable(); // the first time, a probe program on the tracer: not under the monitor
        synchronized (this) {
            done = decide(specs, hardwareAvailable, out);
        }
        // The tracer's edits were queued under the monitor; waited for without it.
        TracerWaits.awaitOrLog(done, 3 * TIMEOUT_SECONDS, LOG, "set the data breakpoints");
        return out;
    }

    /** Decides the set and queues its tracer edits (under the monitor); fills {@code out}. */
    private CompletableFuture<Void> decide(List<DataBreakpoint.Spec> specs, boolean hardwareAvailable, List<Outcome> out) {
        if (process == null) {
            specs.forEach(s -> out.add(Outcome.refused("no program is running: data breakpoints are set on a running program's memory")));
            return CompletableFuture.completedFuture(null);
        }
        boolean hw = hardwareAvailable && fitsHardware(specs);
        boolean byPages = !hw && specs.stream().noneMatch(s -> s.local() || StackPages.onStack(process, s.address(), s.length()));
        List<DataBreakpoint> now = new ArrayList<>();
        for (DataBreakpoint.Spec s : specs) {
            if (!hw && !byPages && s.access() != DataBreakpoint.Access.WRITE) {
                out.add(Outcome.refused("a read watchpoint on the stack needs the debug registers, which "
                        + (softwareForced() ? "quiesce.watch.software turns off" : "do not fire on this machine")
                        + " (a stack is watched by single-stepping and comparing values, which sees only writes)"));
                continue;
            }
            byte[] initial = process.memory().read(s.address(), s.length());
            if (initial.length != s.length()) {
                out.add(Outcome.refused(String.format("cannot read %d bytes at 0x%x to watch them", s.length(), s.address())));
                continue;
            }
            DataBreakpoint bp = new DataBreakpoint(ids.getAndIncrement(), s, initial);
            now.add(bp);
            out.add(Outcome.of(bp));
        }
        return apply(now, hw, byPages);
    }

    private static boolean fitsHardware(List<DataBreakpoint.Spec> specs) {
        if (specs.size() > 4) {
            return false;
        }
        for (DataBreakpoint.Spec s : specs) {
            int n = s.length();
            if ((n != 1 && n != 2 && n != 4 && n != 8) || s.address() % n != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Under the monitor. The page traps' answer (a syscall injected into a stopped thread) decides
     * the rest, so the rest is queued when it comes, under the monitor again, unless a later set
     * or bind (a newer generation) has decided meanwhile.
     */
    private CompletableFuture<Void> apply(List<DataBreakpoint> now, boolean hw, boolean byPages) {
        int gen = ++generation;
        active = List.copyOf(now);
        hardware = hw ? active : List.of();
        boolean trapPages = !hw && byPages && !now.isEmpty();
        List<MemoryRange> ranges = trapPages ? now.stream().map(b -> new MemoryRange(b.spec().address(), b.spec().length())).toList() : List.of();
        boolean reads = trapPages && now.stream().anyMatch(b -> b.spec().access() != DataBreakpoint.Access.WRITE);
        if (!trapPages && !pages) {
            return finish(now, hw, false);
        }
        pages = trapPages; // a set decided before the answer lifts these traps too
        return process.trapPageAccesses(handle, ranges, reads).orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((ok, failure) -> failure).thenCompose(failure -> {
                    synchronized (this) {
                        if (gen != generation) {
                            return CompletableFuture.completedFuture(null);
                        }
                        boolean trapped = trapPages;
                        if (failure != null) {
                            // no thread to make the mprotect calls, or they failed: single-stepping still works
                            LOG.warning("watching by page protection failed (" + failure.getMessage() + "): single-stepping instead");
                            trapped = false;
                            if (reads) {
                                active = now.stream().filter(b -> b.spec().access() == DataBreakpoint.Access.WRITE).toList();
                            }
                        }
                        return finish(now, hw, trapped);
                    }
                });
    }

    /** Under the monitor: the debug registers, scope breakpoints and stepping follow the decision. */
    private CompletableFuture<Void> finish(List<DataBreakpoint> now, boolean hw, boolean trapPages) {
        pages = trapPages;
        software = !hw && !trapPages && !active.isEmpty();
        List<HardwareWatch> slots = hardware.stream()
                .map(b -> new HardwareWatch(b.spec().address(), b.spec().length(), b.spec().access() != DataBreakpoint.Access.WRITE))
                .toList();
        List<CompletableFuture<Void>> edits = new ArrayList<>();
        edits.add(logged(process.setHardwareWatchpoints(slots), "set the debug registers"));
        Set<Long> wanted = new HashSet<>();
        now.stream().filter(b -> b.spec().local()).forEach(b -> wanted.add(b.spec().returnAddress()));
        for (Long a : List.copyOf(scopeBreakpoints)) {
            if (!wanted.contains(a)) {
                scopeBreakpoints.remove(a);
                edits.add(logged(handle.removeBreakpoint(a), "remove a watchpoint's scope breakpoint"));
            }
        }
        for (Long a : wanted) {
            if (scopeBreakpoints.add(a)) {
                edits.add(logged(handle.insertBreakpoint(a), "set a watchpoint's scope breakpoint"));
            }
        }
        // Software: every thread single-steps from its next restart (the client's hold still wins).
        edits.add(logged(handle.resumeAll(software ? ResumeAction.SINGLESTEP : ResumeAction.RESUME), "start or stop stepping"));
        return CompletableFuture.allOf(edits.toArray(new CompletableFuture<?>[0]));
    }

    /** The edit's failure logged (as before: the rest goes on), each bounded like a wait of its own. */
    private static CompletableFuture<Void> logged(CompletableFuture<Void> f, String what) {
        return f.orTimeout(TIMEOUT_SECONDS, TimeUnit.SECONDS).handle((ok, failure) -> {
            if (failure != null) {
                LOG.log(java.util.logging.Level.WARNING, "cannot " + what, failure);
            }
            return null;
        });
    }

    // ---- the tracer thread

    private ResumeAction report(ThreadEvent event) {
        if (event instanceof ThreadEvent.WatchpointHit hit) {
            List<DataBreakpoint> slots = hardware;
            List<DataBreakpoint> fired = new ArrayList<>();
            for (int i = 0; i < slots.size(); i++) {
                if ((hit.slots() & (1 << i)) != 0) {
                    fired.add(slots.get(i));
                }
            }
            check(hit.tid(), fired);
        } else if (event instanceof ThreadEvent.PageAccess access && pages) {
            check(access.tid(), touchedBy(access));
        } else if (event instanceof ThreadEvent.Stepped stepped && software) {
            check(stepped.tid(), active);
        } else if (event instanceof ThreadEvent.BreakpointHit hit && scopeBreakpoints.contains(hit.address())) {
            scopeEnds(hit.tid(), hit.address());
        }
        return software ? ResumeAction.SINGLESTEP : ResumeAction.RESUME;
    }

    /**
     * The watches an access may concern: those it overlaps, of the kinds it can be; for an
     * access of unknown kind (a stepped instruction, a system call) also every watch on its
     * page whose value changed. {@link #check} then applies the write/read rules.
     */
    private List<DataBreakpoint> touchedBy(ThreadEvent.PageAccess access) {
        List<DataBreakpoint> touched = new ArrayList<>();
        long page = access.address() & -4096L;
        for (DataBreakpoint bp : active) {
            DataBreakpoint.Spec s = bp.spec();
            MemoryRange range = new MemoryRange(s.address(), s.length());
            boolean overlaps = range.overlaps(access.address(), access.length());
            switch (access.kind()) {
                case READ -> {
                    if (overlaps && s.access() != DataBreakpoint.Access.WRITE) {
                        touched.add(bp);
                    }
                }
                case WRITE -> {
                    if (overlaps && s.access() != DataBreakpoint.Access.READ) {
                        touched.add(bp);
                    } else if (overlaps) {
                        bp.last = process.memory().read(s.address(), s.length()); // a read watch's value follows writes silently
                    }
                }
                case UNKNOWN -> {
                    if (overlaps || range.overlaps(page, 4096) && bp.changed(process.memory().read(s.address(), s.length()))) {
                        touched.add(bp);
                    }
                }
            }
        }
        return touched;
    }

    private void check(int tid, List<DataBreakpoint> candidates) {
        List<Integer> stopping = new ArrayList<>();
        String detail = null;
        Registers regs = null;
        for (DataBreakpoint bp : candidates) {
            if (bp.ended) {
                continue;
            }
            byte[] now = process.memory().read(bp.spec().address(), bp.spec().length());
            boolean changed = bp.changed(now);
            DataBreakpoint.Access access = bp.spec().access();
            if (access == DataBreakpoint.Access.WRITE && !changed || access == DataBreakpoint.Access.READ && changed) {
                bp.last = now; // a write of the same value (gdb's watch ignores it), or a write seen by a read watch
                continue;
            }
            String text = changed ? bp.describeChange(now) : bp.describeValue(now);
            bp.last = now;
            Conditions c = conditions;
            if (bp.spec().condition().isPresent() && c != null) {
                if (regs == null) {
                    regs = handle.registersNow(tid); // on the tracer thread
                }
                if (!c.holds(process, tid, regs, bp.spec().condition().get())) {
                    continue;
                }
            }
            if (!bp.countHit()) {
                continue;
            }
            stopping.add(bp.id());
            detail = detail == null ? text : detail + "; " + text;
        }
        if (!stopping.isEmpty() && !process.isReportedStopped(tid)) {
            process.stopForClient(new ThreadStop(tid, StopReason.DATA_BREAKPOINT, false, Optional.empty(), Optional.of(detail), List.copyOf(stopping)));
        }
    }

    /** A thread reached a local's return address: the watch ends if its frame is the one that returned. */
    private void scopeEnds(int tid, long address) {
        Registers regs = handle.registersNow(tid);
        List<DataBreakpoint> ending = new ArrayList<>();
        for (DataBreakpoint bp : active) {
            DataBreakpoint.Spec s = bp.spec();
            // After the return the stack pointer is the returned frame's CFA (deeper recursion: below it).
            if (s.local() && s.tid() == tid && s.returnAddress() == address && Long.compareUnsigned(regs.rsp(), s.frameCfa()) >= 0) {
                ending.add(bp);
            }
        }
        if (ending.isEmpty()) {
            return;
        }
        ending.forEach(b -> b.ended = true);
        List<DataBreakpoint> left = active.stream().filter(b -> !b.ended).toList();
        active = left;
        if (!hardware.isEmpty()) {
            hardware = left;
            process.setHardwareWatchpoints(left.stream()
                    .map(b -> new HardwareWatch(b.spec().address(), b.spec().length(), b.spec().access() != DataBreakpoint.Access.WRITE))
                    .toList());
        }
        software = software && !left.isEmpty();
        if (left.stream().noneMatch(b -> b.spec().local() && b.spec().returnAddress() == address)) {
            scopeBreakpoints.remove(address);
            handle.removeBreakpoint(address);
        }
        String names = String.join(", ", ending.stream().map(b -> "Watchpoint " + b.id() + " (" + b.spec().name() + ")").toList());
        process.stopForClient(new ThreadStop(tid, StopReason.WATCHPOINT_SCOPE, false, Optional.empty(),
                Optional.of(names + " deleted because the program has left the block in which its expression is valid"),
                ending.stream().map(DataBreakpoint::id).toList()));
        if (!software) {
            handle.resumeAll(ResumeAction.RESUME);
        }
    }
}
