package dev.quiesce.engine;

import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.SigInfo;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Accesses to ranges of memory trapped by page protection (software watchpoints): the pages
 * under the ranges get an {@code mprotect} injected into a stopped thread (no write access, or
 * none at all when reads are trapped too), so that an access faults. The SIGSEGV never reaches
 * the program: the tracer performs the access itself when {@link MemoryAccess} decodes the
 * instruction (a {@code mov}: the bytes written through /proc/PID/mem, which writes past the
 * protection, or the register loaded; the pc moved past), or else single-steps it with the
 * page's own protection back and every other thread held ({@link PageStep}). An access that
 * overlaps a range is reported to the owner as a {@link ThreadEvent.PageAccess}; the others
 * (the rest of the page) cost one fault each. Threads that never touch the pages run at full
 * speed.
 *
 * <p>The program's own protection of the page is kept as {@link Page#programProt}: a fault that
 * protection would have raised anyway (its own guard page, a wild write) is delivered to it as
 * untraced. The program changing the protection or the mapping itself is caught by syscall
 * tracing while pages are trapped ({@link PageSyscalls}): threads pay two stops per syscall then.
 * Tracer thread only.
 */
final class PageTraps {
    private static final Logger LOG = Logger.getLogger(PageTraps.class.getName());
    static final long PAGE = 4096;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    private static final int SEGV_ACCERR = 2;
    private static final long PC = Registers.offset(Registers.RIP);

    /** One trapped page: the protection the program gave it, the one we put on it. */
    static final class Page {
        final long address;
        int programProt;
        int trapProt;
        /** MAP_SHARED: /proc/PID/mem cannot write past its protection; accesses are stepped. */
        final boolean shared;

        Page(long address, int programProt, int trapProt, boolean shared) {
            this.address = address;
            this.programProt = programProt;
            this.trapProt = trapProt;
            this.shared = shared;
        }

        boolean trapping() {
            return trapProt != programProt;
        }
    }

    private final ProcessCore process;
    private EngineHandle owner;
    private List<MemoryRange> ranges = List.of();
    private boolean reads;
    final Map<Long, Page> pages = new LinkedHashMap<>();
    private long syscallInstruction;
    final PageStep step;
    private final PageSyscalls syscalls;
    private EngineHandle syscallEngine;
    /**
     * A vfork child gave the shared pages the program's protection back: they stay open until a
     * thread of ours can trap them again (the parent's next stop after its VFORK_DONE).
     */
    private boolean open;
    private boolean retrapWanted;
    /** A set waiting for a thread that can make the mprotect calls (none could when it was asked for). */
    private Pending pending;

    private record Pending(EngineHandle owner, List<MemoryRange> ranges, boolean reads) {
    }
    /** Faults taken by the tracer (emulated or stepped), for the curious and the benchmark. */
    long faults;

    PageTraps(ProcessCore process) {
        this.process = process;
        this.step = new PageStep(process, this);
        this.syscalls = new PageSyscalls(process, this);
    }

    boolean active() {
        return !pages.isEmpty();
    }

    /** Whether the trapped pages are open now (a vfork child runs in the memory). */
    boolean open() {
        return open;
    }

    /**
     * A fork or vfork child at its first stop, about to be detached: it must not inherit our
     * protection (untraced, its first write to the page would kill it). The mprotect calls are
     * made in the child; for a vfork child that opens the parent's pages too (shared memory):
     * writes meanwhile are not seen. Returns a signal that arrived meanwhile, for the detach.
     */
    int releaseInChild(int pid, boolean vfork) {
        if (pages.isEmpty() || open) {
            return 0;
        }
        int[] deferred = new int[1];
        try {
            if (syscallInstruction == 0) {
                syscallInstruction = InjectedSyscall.findSyscallInstruction(process);
            }
            for (Page p : pages.values()) {
                if (p.trapping()) {
                    long r = InjectedSyscall.inChild(pid, syscallInstruction, InjectedSyscall.MPROTECT, p.address, PAGE, p.programProt, deferred);
                    if (r != 0) {
                        LOG.warning(String.format("mprotect(0x%x) in child %d failed: errno %d", p.address, pid, -r));
                    }
                }
            }
            open = vfork;
        } catch (RuntimeException e) {
            LOG.warning("cannot give child " + pid + " its pages' protection: " + e.getMessage());
        }
        return deferred[0];
    }

    /** The vfork child is done with the memory: the pages are trapped again at the parent's next stop. */
    void vforkDone(TracedThread parent) {
        if (open) {
            // its VFORK_DONE stop is inside the syscall (no injection there): its restart
            // interrupts it, and the pages are trapped at that stop (afterStop)
            retrapWanted = true;
        }
    }

    /** Any stop: the pages trapped again if a vfork left them open and this thread can do it. */
    void afterStop(TracedThread t) {
        if (!wantsAStop() || !InjectedSyscall.canUse(t) || t.steppingOver || t.pageStepping) {
            return;
        }
        if (pending != null) {
            Pending p = pending;
            try {
                set(p.owner(), p.ranges(), p.reads());
            } catch (RuntimeException e) {
                LOG.warning("cannot trap the watched pages: " + e.getMessage());
            }
            return;
        }
        retrapWanted = false;
        open = false;
        try {
            for (Page p : pages.values()) {
                if (p.trapping()) {
                    protect(t, p.address, p.trapProt);
                }
            }
        } catch (RuntimeException e) {
            LOG.warning("cannot trap the watched pages again after a vfork: " + e.getMessage());
        }
    }

    /** Whether these traps (set, or waiting to be set) are for an engine of that session. */
    boolean ownedBy(TracedProcess session) {
        EngineHandle who = pending != null ? pending.owner() : owner;
        boolean any = pending != null ? !pending.ranges().isEmpty() || !pages.isEmpty() : !pages.isEmpty();
        return any && who != null && who.session == session;
    }

    boolean tracesReads() {
        return reads;
    }

    /**
     * Traps accesses to these ranges (writes, and reads too if {@code reads}) for {@code owner},
     * replacing the previous set; empty releases every page. Needs a stopped thread to make
     * the mprotect calls; throws with the reason when there is none or a call fails.
     */
    void set(EngineHandle owner, List<MemoryRange> wanted, boolean reads) {
        pending = null;
        if ((!wanted.isEmpty() || !pages.isEmpty()) && !anyInjectable()) {
            // Held at exec (an event stop inside execve), or every thread running: done at the
            // first stop of a thread where it can be (restart() interrupts them for it).
            pending = new Pending(owner, List.copyOf(wanted), reads);
            for (TracedThread t : process.threads.values()) {
                if (t.running() && !t.interruptSent && !t.exiting) {
                    process.tracerOwned.interrupt(t);
                    break;
                }
            }
            return;
        }
        Map<Long, MemoryRange> byPage = new LinkedHashMap<>();
        for (MemoryRange r : wanted) {
            for (long p = r.address() & -PAGE; p < r.address() + r.length(); p += PAGE) {
                byPage.putIfAbsent(p, r);
            }
        }
        TracedThread t = null; // found when a first mprotect is needed
        boolean readsChanged = reads != this.reads;
        for (Page p : List.copyOf(pages.values())) {
            if (!byPage.containsKey(p.address) || readsChanged) {
                protect(t, p.address, p.programProt);
                pages.remove(p.address);
            }
        }
        this.owner = owner;
        this.ranges = List.copyOf(wanted);
        this.reads = reads;
        List<ProcFs.Mapping> maps = byPage.isEmpty() ? List.of() : ProcFs.maps(process.pid());
        for (long address : byPage.keySet()) {
            if (pages.containsKey(address)) {
                continue;
            }
            ProcFs.Mapping m = maps.stream().filter(x -> x.start() <= address && address < x.end()).findFirst()
                    .orElseThrow(() -> new TracerException(String.format("0x%x is not mapped in process %d", address, process.pid())));
            int prot = protection(m.permissions());
            int trap = reads ? 0 : prot & ~PROT_WRITE;
            Page p = new Page(address, prot, trap, m.permissions().charAt(3) == 's');
            if (p.trapping()) {
                protect(t, address, trap);
            }
            pages.put(address, p);
        }
        if (!pages.isEmpty() && syscallEngine == null) {
            syscallEngine = process.attachInternal(null, syscalls, EnumSet.of(EventType.SYSCALL), 0);
        } else if (pages.isEmpty() && syscallEngine != null) {
            process.control.engineDetach(syscallEngine);
            syscallEngine = null;
        }
    }

    /** Gives every page its own protection back (detach, and the set emptied). */
    void releaseAll() {
        pending = null;
        if (pages.isEmpty()) {
            return;
        }
        try {
            set(owner, List.of(), reads);
        } catch (RuntimeException e) {
            LOG.warning("cannot give the program's pages their protection back: " + e.getMessage());
            pages.clear();
        }
    }

    /** After exec the memory is new: nothing is trapped any more. */
    void forgetAfterExec() {
        pages.clear();
        pending = null;
        open = false;
        retrapWanted = false;
        ranges = List.of();
        syscallInstruction = 0;
        if (syscallEngine != null) {
            process.control.engineDetach(syscallEngine);
            syscallEngine = null;
        }
    }

    private boolean anyInjectable() {
        for (TracedThread t : process.threads.values()) {
            if (InjectedSyscall.canUse(t) && !t.steppingOver && !t.pageStepping) {
                return true;
            }
        }
        return false;
    }

    /** Whether a thread should stop at its next chance, so that pages can be (re)trapped there. */
    boolean wantsAStop() {
        return pending != null || retrapWanted;
    }

    /** A stopped thread that can make our mprotect calls. */
    TracedThread injectable() {
        for (TracedThread t : process.threads.values()) {
            if (InjectedSyscall.canUse(t) && !t.steppingOver && !t.pageStepping) {
                return t;
            }
        }
        throw new TracerException("no thread of process " + process.pid()
                + " is stopped where it can change a page's protection: pause a thread first");
    }

    /** mprotect(page, PAGE, prot) made by thread {@code t} (null: any that can). */
    void protect(TracedThread t, long page, int prot) {
        if (t == null) {
            t = injectable();
        }
        if (syscallInstruction == 0) {
            syscallInstruction = InjectedSyscall.findSyscallInstruction(process);
        }
        long r = InjectedSyscall.run(process, t, syscallInstruction, InjectedSyscall.MPROTECT, page, PAGE, prot);
        if (r != 0) {
            throw new TracerException(String.format("mprotect(0x%x) in thread %d failed: errno %d", page, t.tid, -r));
        }
    }

    private static int protection(String perms) {
        return (perms.charAt(0) == 'r' ? PROT_READ : 0) | (perms.charAt(1) == 'w' ? PROT_WRITE : 0) | (perms.charAt(2) == 'x' ? 4 : 0);
    }

    // ---- faults

    /**
     * A SIGSEGV stop of {@code t}: true if it was ours (the access is done, or the thread is held
     * to step it), false if it is the program's to receive.
     */
    boolean fault(TracedThread t, SigInfo info) {
        if (t.programFault) {
            t.programFault = false;
            return false;
        }
        if (pages.isEmpty() || open || info.code() != SEGV_ACCERR) {
            return false;
        }
        Page page = pages.get(info.address() & -PAGE);
        if (page == null || !page.trapping()) {
            return false;
        }
        Registers regs = Registers.read(t.tid);
        byte[] code = process.memory.read(regs.rip(), 16);
        process.breakpoints.shadow(regs.rip(), code, code.length);
        MemoryAccess access = MemoryAccess.decode(code);
        if (access != null && (page.programProt & (access.store() ? PROT_WRITE : PROT_READ)) == 0) {
            return false; // the program's own protection forbids it: as untraced
        }
        faults++;
        if (access == null || page.shared || !perform(t, regs, access, info.address())) {
            step.begin(t, page, info.address(), MemoryAccess.widthOf(code));
        }
        return true;
    }

    /** Performs a decoded access for the thread; false if it cannot be (then it is stepped). */
    private boolean perform(TracedThread t, Registers regs, MemoryAccess access, long faultAddress) {
        long address = access.address(regs);
        int n = access.size();
        if (faultAddress < address || faultAddress >= address + n) {
            return false; // not the access we decoded (cannot happen for a mov; be safe)
        }
        long next = regs.rip() + access.length();
        try {
            if (access.store()) {
                process.memory.write(address, access.storedBytes(regs));
                Ptrace.pokeUser(t.tid, PC, next);
            } else {
                byte[] bytes = process.memory.read(address, n);
                if (bytes.length != n) {
                    return false;
                }
                access.loaded(regs, bytes).with(Registers.RIP, next).write(t.tid);
            }
        } catch (RuntimeException e) {
            return false; // the other page of a straddling access is not there: the CPU's fault is the program's
        }
        t.stoppedAtBreakpoint = -1;
        accessed(t, address, n, access.store() ? ThreadEvent.PageAccess.Kind.WRITE : ThreadEvent.PageAccess.Kind.READ,
                t.lastRestart.steps());
        return true;
    }

    /** The access is done: the owner hears of it if it overlaps a range; a stepping thread's step is done. */
    void accessed(TracedThread t, long address, int length, ThreadEvent.PageAccess.Kind kind, boolean wasStepping) {
        // an access of unknown kind may have changed anything on its page
        boolean concerns = kind == ThreadEvent.PageAccess.Kind.UNKNOWN ? overlapsRange(address & -PAGE, PAGE) : overlapsRange(address, length);
        if (owner != null && concerns) {
            process.control.deliverTo(t, new ThreadEvent.PageAccess(t.tid, address, length, kind), List.of(owner));
        }
        if (wasStepping) {
            process.tracerOwned.stops().stepDone(t); // the instruction ran, as a step would have run it
        }
    }

    boolean overlapsRange(long address, long length) {
        for (MemoryRange r : ranges) {
            if (r.overlaps(address, length)) {
                return true;
            }
        }
        return false;
    }

    /** The trapped pages overlapping [address, address + length). */
    List<Page> pagesIn(long address, long length) {
        List<Page> out = new ArrayList<>();
        for (Page p : pages.values()) {
            if (p.address < address + length && address < p.address + PAGE) {
                out.add(p);
            }
        }
        return out;
    }

    /** Our protection for a page the program now protects with {@code prot}. */
    int trapFor(int prot) {
        return reads ? 0 : prot & ~PROT_WRITE;
    }
}
