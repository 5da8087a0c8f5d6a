package dev.quiesce.symbols.solib;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.ProcFs;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ObjectFiles;
import dev.quiesce.symbols.elf.ElfFile;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The objects a process has mapped (program, dynamic linker, shared libraries), kept current the
 * way gdb does it: an engine breakpoint on the dynamic linker's {@code _dl_debug_state} (the
 * address {@code r_debug.r_brk} names), which glibc calls before and after every change to its
 * {@code link_map} list. At a consistent state the list is read again and the difference reported.
 *
 * <p>The thread that hit the breakpoint is held while listeners run (on the given executor), so
 * a listener can plant breakpoints in a new library before any of its code runs.
 */
public final class SharedLibraries {
    private static final Logger LOG = Logger.getLogger(SharedLibraries.class.getName());
    private static final long AT_BASE = 7;
    private static final long AT_ENTRY = 9;

    /** Told of modules as they come and go (the initial set counts as added); {@code now}: all of them, program first. */
    public interface Listener {
        void modulesChanged(List<LoadedModule> added, List<LoadedModule> removed, List<LoadedModule> now);
    }

    private final TracedProcess process;
    /** The process's memory: live, or a core's ({@link #snapshot}). */
    private final java.util.function.Supplier<ProcessMemory> memory;
    private final Listener listener;
    private final Executor executor;
    private volatile List<LoadedModule> modules = List.of();
    private volatile long rDebug;
    private volatile long breakAddress;
    private volatile EngineHandle handle;

    private SharedLibraries(TracedProcess process, Listener listener, Executor executor) {
        this.process = process;
        this.memory = process::memory;
        this.listener = listener;
        this.executor = executor;
    }

    /**
     * Starts tracking. The process must be stopped at exec (launch) or already running its
     * libraries (attach); both work: the link map is read at once and again at each change.
     */
    public static CompletableFuture<SharedLibraries> track(TracedProcess process, Listener listener, Executor executor) {
        SharedLibraries libs = new SharedLibraries(process, listener, executor);
        return process.attach(libs::report, EnumSet.of(EventType.BREAKPOINT, EventType.EXEC), 0)
                .thenCompose(h -> {
                    libs.handle = h;
                    return libs.scanImage();
                })
                .thenApply(x -> libs);
    }

    /**
     * The modules of a process that no longer runs (a core file), fixed: the program and the
     * dynamic linker from its auxiliary vector and mappings, the libraries from the link map in
     * its memory. {@code program}: the executable, as the user named it.
     */
    public static SharedLibraries snapshot(ProcessMemory memory, Map<Long, Long> auxv, List<ProcFs.Mapping> mappings, Path program) {
        SharedLibraries libs = new SharedLibraries(memory);
        libs.modules = List.copyOf(libs.imageModules(auxv, program, address -> mappedPathAt(mappings, address)));
        if (libs.rDebug != 0) {
            libs.refreshFromLinkMap();
        }
        return libs;
    }

    private SharedLibraries(ProcessMemory memory) {
        this.process = null;
        this.memory = () -> memory;
        this.listener = (added, removed, now) -> { };
        this.executor = Runnable::run;
    }

    /** A snapshot of the mapped modules, program first. */
    public List<LoadedModule> modules() {
        return modules;
    }

    public Optional<LoadedModule> moduleAt(long address) {
        for (LoadedModule m : modules) {
            if (m.contains(address)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public void close() {
        EngineHandle h = handle;
        if (h != null) {
            h.detach();
        }
    }

    /** Program and dynamic linker from the auxiliary vector; then the link map as it is now. */
    private CompletableFuture<Void> scanImage() {
        int pid = process.pid();
        List<ProcFs.Mapping> maps = ProcFs.maps(pid);
        List<LoadedModule> found = imageModules(ProcFs.auxv(pid), programPath(pid), address -> mappedPathAt(maps, address));
        CompletableFuture<Void> armed = breakAddress == 0 ? CompletableFuture.completedFuture(null)
                : handle.insertBreakpoint(breakAddress);
        List<LoadedModule> before = modules;
        modules = List.copyOf(found);
        if (rDebug != 0) {
            refreshFromLinkMap(); // attach: the libraries are already there
        }
        List<LoadedModule> after = modules;
        return armed.thenRunAsync(() -> listener.modulesChanged(after, before, after), executor);
    }

    /** The program and the dynamic linker; sets {@link #rDebug} and {@link #breakAddress} when the linker has them. */
    private List<LoadedModule> imageModules(Map<Long, Long> auxv, Path program,
            java.util.function.LongFunction<Optional<String>> mappedPathAt) {
        List<LoadedModule> found = new ArrayList<>();
        ElfFile programElf = ObjectFiles.shared().open(program);
        long programBias = auxv.containsKey(AT_ENTRY) ? auxv.get(AT_ENTRY) - programElf.entry() : 0;
        found.add(LoadedModule.of(program.toString(), programElf, programBias, LoadedModule.Kind.PROGRAM));
        long base = auxv.getOrDefault(AT_BASE, 0L);
        rDebug = 0;
        breakAddress = 0;
        if (base != 0) { // a dynamically linked program: AT_BASE is where the kernel put ld.so
            Optional<String> ldPath = mappedPathAt.apply(base);
            if (ldPath.isPresent()) {
                ElfFile ld = ObjectFiles.shared().open(Path.of(ldPath.get()));
                long ldBias = base - ld.firstLoadAddress();
                found.add(LoadedModule.of(ldPath.get(), ld, ldBias, LoadedModule.Kind.DYNAMIC_LINKER));
                Optional<ElfSymbol> rDebugSym = symbol(ld, "_r_debug");
                Optional<ElfSymbol> stateSym = symbol(ld, "_dl_debug_state");
                if (rDebugSym.isPresent() && stateSym.isPresent()) {
                    rDebug = rDebugSym.get().value() + ldBias;
                    breakAddress = stateSym.get().value() + ldBias;
                } else {
                    LOG.warning(ldPath.get() + " has no _r_debug/_dl_debug_state: shared libraries will not be tracked");
                }
            }
        }
        return found;
    }

    private ResumeAction report(ThreadEvent event) {
        if (event instanceof ThreadEvent.Exec) {
            // The old address space is gone with its breakpoint; read the new image, then let go.
            executor.execute(() -> {
                CompletableFuture<Void> scanned;
                try {
                    scanned = scanImage();
                } catch (RuntimeException e) {
                    scanned = CompletableFuture.failedFuture(e);
                }
                scanned.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        LOG.log(Level.WARNING, "cannot read the new image of " + process.pid() + " after exec", failure);
                    }
                    handle.resume(event.tid(), ResumeAction.RESUME);
                });
            });
            return ResumeAction.STOP;
        }
        if (!(event instanceof ThreadEvent.BreakpointHit hit) || hit.address() != breakAddress) {
            return ResumeAction.RESUME;
        }
        List<LoadedModule> before = modules;
        try {
            if (LinkMap.state(memory.get(), rDebug) != LinkMap.RT_CONSISTENT) {
                return ResumeAction.RESUME;
            }
        } catch (ProcessMemory.MemoryAccessException e) {
            return ResumeAction.RESUME;
        }
        List<LinkMap.Entry> entries = LinkMap.entries(memory.get(), rDebug);
        int tid = hit.tid();
        // Hold the thread; open the new objects and tell the listener off the tracer thread.
        executor.execute(() -> {
            try {
                List<LoadedModule> removed = new ArrayList<>();
                List<LoadedModule> added = new ArrayList<>();
                applyLinkMap(entries, added, removed);
                if (!added.isEmpty() || !removed.isEmpty()) {
                    listener.modulesChanged(added, removed, modules);
                }
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "cannot update the shared libraries of " + process.pid(), e);
            } finally {
                handle.resume(tid, ResumeAction.RESUME);
            }
        });
        return ResumeAction.STOP;
    }

    private void refreshFromLinkMap() {
        try {
            applyLinkMap(LinkMap.entries(memory.get(), rDebug), new ArrayList<>(), new ArrayList<>());
        } catch (ProcessMemory.MemoryAccessException e) {
            LOG.log(Level.FINE, "link map not readable yet", e);
        }
    }

    /** Replaces the library part of {@link #modules} by what the link map lists now. */
    private synchronized void applyLinkMap(List<LinkMap.Entry> entries, List<LoadedModule> added, List<LoadedModule> removed) {
        Map<String, LoadedModule> old = new HashMap<>();
        List<LoadedModule> next = new ArrayList<>();
        for (LoadedModule m : modules) {
            if (m.kind() == LoadedModule.Kind.LIBRARY) {
                old.put(key(m.path(), m.bias()), m);
            } else {
                next.add(m);
            }
        }
        for (LinkMap.Entry e : entries) {
            if (e.name().isEmpty() || !e.name().startsWith("/") || isKnownNonLibrary(next, e)) {
                continue; // the program itself, the vDSO ("linux-vdso.so.1"), the dynamic linker
            }
            LoadedModule m = old.remove(key(e.name(), e.bias()));
            if (m == null) {
                Path path = Path.of(e.name());
                if (!Files.isRegularFile(path)) {
                    continue;
                }
                m = LoadedModule.of(e.name(), ObjectFiles.shared().open(path), e.bias(), LoadedModule.Kind.LIBRARY);
                added.add(m);
            }
            next.add(m);
        }
        removed.addAll(old.values());
        modules = List.copyOf(next);
    }

    private static boolean isKnownNonLibrary(List<LoadedModule> fixed, LinkMap.Entry e) {
        for (LoadedModule m : fixed) {
            if (m.bias() == e.bias() && sameFile(m.path(), e.name())) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFile(String a, String b) {
        if (a.equals(b)) {
            return true;
        }
        try {
            return Files.isSameFile(Path.of(a), Path.of(b));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String key(String path, long bias) {
        return path + "@" + bias;
    }

    private static Optional<ElfSymbol> symbol(ElfFile elf, String name) {
        for (ElfSymbol s : elf.symbols()) {
            if (s.isDefined() && s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    private static Path programPath(int pid) {
        try {
            return Path.of("/proc", Integer.toString(pid), "exe").toRealPath();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read /proc/" + pid + "/exe: " + e.getMessage(), e);
        }
    }

    private static Optional<String> mappedPathAt(List<ProcFs.Mapping> maps, long address) {
        for (ProcFs.Mapping m : maps) {
            if (address >= m.start() && address < m.end() && m.path().startsWith("/")) {
                return Optional.of(m.path());
            }
        }
        return Optional.empty();
    }
}
