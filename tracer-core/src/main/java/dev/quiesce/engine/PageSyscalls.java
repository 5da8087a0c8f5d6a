package dev.quiesce.engine;

import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The system calls that matter to trapped pages, traced while pages are trapped (an engine
 * with the SYSCALL mask, so every thread runs under PTRACE_SYSCALL then):
 * <ul>
 * <li>{@code mprotect}/{@code pkey_mprotect} of a trapped page by the program: once it
 *     succeeded, the page's protection is the program's new one, and ours goes back on top
 *     (a write the program now forbids is its own SIGSEGV; one it allows is trapped again);</li>
 * <li>{@code munmap}, {@code mremap} and {@code mmap(MAP_FIXED)} over a trapped page: the page
 *     is no longer trapped (its memory is gone or new);</li>
 * <li>a system call that failed with EFAULT while pages are trapped (the kernel cannot write a
 *     read() buffer on a page we protected): the pages get the program's protection back, the
 *     call is made again (the kernel's own restart: rax = orig_rax, rip - 2), and at its exit
 *     the pages are trapped again and the owner hears of an access of unknown kind to each.
 *     Other threads are not held meanwhile (the call may block on them): a write of theirs
 *     during that call is seen at its exit, as this thread's.</li>
 * <li>{@code read}, {@code pread64}, {@code recvfrom} into a buffer that reaches a trapped page:
 *     the kernel would copy up to the page and return a short count (no EFAULT). At its entry
 *     the call is swapped for getpid, and at that exit made again as an EFAULT retry is.
 *     Other calls that write part of a buffer before the page (readv, recvmsg...) may still
 *     come back short.</li>
 * </ul>
 * Between the program's own mprotect and ours on top, another thread could write the page
 * unseen (microseconds). Tracer thread only.
 */
final class PageSyscalls implements Engine {
    private static final Logger LOG = Logger.getLogger(PageSyscalls.class.getName());
    private static final long MMAP = 9;
    private static final long MPROTECT = 10;
    private static final long MUNMAP = 11;
    private static final long MREMAP = 25;
    private static final long PKEY_MPROTECT = 329;
    private static final long MAP_FIXED = 0x10;
    private static final long MAP_FIXED_NOREPLACE = 0x100000;
    private static final long EFAULT = 14;
    private static final long READ = 0;
    private static final long PREAD64 = 17;
    private static final long RECVFROM = 45;
    private static final long GETPID = 39;

    private record Change(long number, long address, long length, int prot) {
    }

    private final ProcessCore process;
    private final PageTraps traps;
    private final Map<Integer, Change> entered = new HashMap<>();
    private final Set<Integer> retrying = new HashSet<>();
    /** Threads whose read into a trapped page was swapped for getpid at its entry, by the syscall's number. */
    private final Map<Integer, Long> swapped = new HashMap<>();

    PageSyscalls(ProcessCore process, PageTraps traps) {
        this.process = process;
        this.traps = traps;
    }

    @Override
    public ResumeAction report(ThreadEvent event) {
        if (!(event instanceof ThreadEvent.Syscall s)) {
            return ResumeAction.RESUME;
        }
        TracedThread t = process.threads.get(s.tid());
        if (t == null || !traps.active()) {
            return ResumeAction.RESUME;
        }
        try {
            if (s.entry()) {
                entry(t, s.number(), s.info().args());
            } else {
                exit(t, s);
            }
        } catch (RuntimeException e) {
            LOG.warning("watched pages at syscall " + s.number() + " of thread " + t.tid + ": " + e.getMessage());
        }
        return ResumeAction.RESUME;
    }

    private void entry(TracedThread t, long nr, long[] a) {
        entered.remove(t.tid);
        if ((nr == READ || nr == PREAD64 || nr == RECVFROM) && !retrying.contains(t.tid) && anyTrapping()
                && a[2] > 0 && !traps.pagesIn(a[1], a[2]).isEmpty()) {
            // The kernel would copy up to our page and stop there: a short read, no EFAULT, which
            // the program would see. No mprotect can be injected at a syscall entry, so the call
            // becomes getpid (harmless); at its exit the pages are opened and the read is made
            // again as an EFAULT retry is.
            Ptrace.pokeUser(t.tid, Registers.offset(Registers.ORIG_RAX), GETPID);
            swapped.put(t.tid, nr);
            return;
        }
        boolean relevant = nr == MPROTECT || nr == PKEY_MPROTECT || nr == MUNMAP || nr == MREMAP
                || (nr == MMAP && (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) != 0);
        if (relevant && !traps.pagesIn(a[0], a[1]).isEmpty()) {
            entered.put(t.tid, new Change(nr, a[0], a[1], (int) a[2]));
        }
    }

    private void exit(TracedThread t, ThreadEvent.Syscall s) {
        Long read = swapped.remove(t.tid);
        if (read != null) {
            retry(t, read);
            return;
        }
        if (retrying.remove(t.tid)) {
            for (PageTraps.Page p : traps.pages.values()) {
                if (p.trapping()) {
                    traps.protect(t, p.address, p.trapProt);
                }
            }
            for (PageTraps.Page p : List.copyOf(traps.pages.values())) {
                traps.accessed(t, p.address, (int) PageTraps.PAGE, ThreadEvent.PageAccess.Kind.UNKNOWN, false);
            }
            return;
        }
        Change c = entered.remove(t.tid);
        if (c != null) {
            if (!s.info().error()) {
                changed(t, c);
            }
            return;
        }
        if (s.info().error() && s.info().returnValue() == -EFAULT && anyTrapping()) {
            retry(t, s.number());
        }
    }

    private void changed(TracedThread t, Change c) {
        for (PageTraps.Page p : traps.pagesIn(c.address(), c.length())) {
            if (c.number() == MPROTECT || c.number() == PKEY_MPROTECT) {
                p.programProt = c.prot() & 7;
                p.trapProt = traps.trapFor(p.programProt);
                if (p.trapping() && !traps.open()) {
                    traps.protect(t, p.address, p.trapProt);
                }
            } else {
                traps.pages.remove(p.address);
                LOG.fine(() -> String.format("page 0x%x unmapped or replaced: no longer trapped", p.address));
            }
        }
    }

    private boolean anyTrapping() {
        if (traps.open()) {
            return false;
        }
        for (PageTraps.Page p : traps.pages.values()) {
            if (p.trapping()) {
                return true;
            }
        }
        return false;
    }

    private void retry(TracedThread t, long nr) {
        for (PageTraps.Page p : traps.pages.values()) {
            if (p.trapping()) {
                traps.protect(t, p.address, p.programProt);
            }
        }
        Registers regs = Registers.read(t.tid);
        regs.with(Registers.RAX, nr).with(Registers.RIP, regs.rip() - 2).write(t.tid);
        retrying.add(t.tid);
    }
}
