package dev.quiesce.debugger;

import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.logging.Logger;

/**
 * The client's breakpoints for one session: line, function and instruction breakpoints, each
 * set replaced as a whole (as DAP sends them), resolved against the modules loaded now and again
 * whenever a module loads or unloads (pending breakpoints). One engine owns their int3s; a hit
 * counts, checks its condition and hit condition, logs (logpoints) or reports the thread stopped
 * to the client. Other threads run on: edits never stop a thread.
 */
public final class UserBreakpoints {
    private static final Logger LOG = Logger.getLogger(UserBreakpoints.class.getName());
    private static final long TIMEOUT_SECONDS = 10;

    /** Told of breakpoints whose resolution changed (a library came or went) and of logpoint output. */
    public interface Listener {
        void changed(UserBreakpoint breakpoint);

        void logged(int tid, UserBreakpoint breakpoint, String text);
    }

    /** Conditions and logpoint templates, by the expression evaluator of the values layer. */
    public interface Conditions {
        /** Whether the breakpoint's condition holds for the stopped thread (tracer thread). */
        boolean holds(TracedProcess process, int tid, dev.quiesce.linux.Registers registers, UserBreakpoint breakpoint);

        /** The log message with its {expressions} filled in (tracer thread). */
        String logMessage(TracedProcess process, int tid, dev.quiesce.linux.Registers registers, UserBreakpoint breakpoint);

        /** Problems of a condition or template that parsing finds, as the message to show; empty: fine. */
        Optional<String> check(UserBreakpoint.Spec spec);
    }

    private final Listener listener;
    private final AtomicInteger ids = new AtomicInteger(1);
    private final Map<String, List<UserBreakpoint>> bySource = new LinkedHashMap<>();
    private List<UserBreakpoint> functions = List.of();
    private List<UserBreakpoint> instructions = List.of();
    /** Address → breakpoints there; read by the engine on the tracer thread. */
    private final Map<Long, List<UserBreakpoint>> byAddress = new ConcurrentHashMap<>();
    private volatile Conditions conditions;
    private volatile IntConsumer beforeStop = tid -> { };
    /** Written under the lock, read by the engine on the tracer thread. */
    private volatile TracedProcess process;
    private volatile EngineHandle handle;
    private List<LoadedModule> modules = List.of();

    public UserBreakpoints(Listener listener) {
        this.listener = listener;
    }

    public void setConditions(Conditions conditions) {
        this.conditions = conditions;
    }

    /** Called on the tracer thread before a breakpoint reports a stop (a step plan of the thread ends). */
    public void beforeStop(IntConsumer action) {
        this.beforeStop = action;
    }

    // ---- the set the client edits

    // Edits are decided under the lock and their int3s queued to the tracer in that order; the
    // wait for the tracer to have done them happens after the lock is let go (a callback on the
    // tracer thread may need the lock meanwhile).

    public List<UserBreakpoint> setSourceBreakpoints(String source, List<UserBreakpoint.Spec> specs) {
        return replaceSet(specs, created -> bySource.put(source, created));
    }

    public List<UserBreakpoint> setFunctionBreakpoints(List<UserBreakpoint.Spec> specs) {
        return replaceSet(specs, created -> {
            List<UserBreakpoint> old = functions;
            functions = created;
            return old;
        });
    }

    public List<UserBreakpoint> setInstructionBreakpoints(List<UserBreakpoint.Spec> specs) {
        return replaceSet(specs, created -> {
            List<UserBreakpoint> old = instructions;
            instructions = created;
            return old;
        });
    }

    /**
     * Makes {@code specs} into breakpoints, puts them in place of one set ({@code swap}, called
     * under the lock, stores them and gives back the set they replace, or null), then waits for
     * their int3 edits with the lock let go.
     */
    private List<UserBreakpoint> replaceSet(List<UserBreakpoint.Spec> specs,
            java.util.function.UnaryOperator<List<UserBreakpoint>> swap) {
        List<UserBreakpoint> created;
        List<Planting> plantings;
        synchronized (this) {
            created = create(specs);
            List<UserBreakpoint> old = swap.apply(created);
            replace(old == null ? List.of() : old, created);
            plantings = takePlantings();
        }
        awaitAll(plantings);
        return created;
    }

    /** Every breakpoint's kind by id (ids are never reused); read without the lock by stop reports. */
    private final Map<Integer, UserBreakpoint.Kind> kinds = new ConcurrentHashMap<>();

    /**
     * What kind of breakpoint a stop at these ids was: a line breakpoint if any is one, else the
     * first's kind (a function and an instruction breakpoint at one address: the function).
     */
    public UserBreakpoint.Kind stopKind(List<Integer> stopIds) {
        UserBreakpoint.Kind kind = null;
        for (int id : stopIds) {
            UserBreakpoint.Kind k = kinds.get(id);
            if (k == UserBreakpoint.Kind.LINE) {
                return k;
            }
            kind = kind == null ? k : kind;
        }
        return kind == null ? UserBreakpoint.Kind.LINE : kind;
    }

    private List<UserBreakpoint> create(List<UserBreakpoint.Spec> specs) {
        List<UserBreakpoint> out = new ArrayList<>();
        for (UserBreakpoint.Spec spec : specs) {
            UserBreakpoint bp = new UserBreakpoint(ids.getAndIncrement(), spec);
            kinds.put(bp.id(), spec.kind());
            Conditions c = conditions;
            if (bp.usable() && c != null) {
                c.check(spec).ifPresent(bp::reject);
            } else if (bp.usable() && (spec.condition().isPresent() || spec.logMessage().map(m -> m.contains("{")).orElse(false))) {
                bp.reject("conditions and {expressions} in log messages need an expression evaluator; none is set");
            }
            out.add(bp);
        }
        return out;
    }

    private void replace(List<UserBreakpoint> old, List<UserBreakpoint> created) {
        for (UserBreakpoint bp : old) {
            uninstall(bp);
        }
        for (UserBreakpoint bp : created) {
            resolve(bp);
            install(bp);
        }
    }

    /**
     * The program a launch will run: until its modules are mapped, breakpoints are checked
     * against its file (verified with their real line, as gdb does before "run"), and set for
     * real when it loads.
     */
    public synchronized void expectProgram(java.nio.file.Path program) {
        try {
            this.expected = dev.quiesce.symbols.ObjectFiles.shared().open(program);
            dev.quiesce.symbols.ModuleSymbols symbols = dev.quiesce.symbols.ModuleSymbols.of(expected);
            // One read-ahead thread, in this order: the symbol table first (the request reads the
            // line headers itself meanwhile, then wants it), then what the request may not have
            // reached yet. Headers first made SQLite's request compute the symbol table itself.
            symbols.functionSymbolsAhead();
            symbols.placementAhead();
        } catch (RuntimeException e) {
            this.expected = null; // the launch itself will say what is wrong with the file
        }
        for (UserBreakpoint bp : all()) {
            resolve(bp);
        }
    }

    private dev.quiesce.symbols.elf.ElfFile expected;

    /** The modules to resolve against: the mapped ones, or the expected program before it runs. */
    private List<LoadedModule> resolvable() {
        if (!modules.isEmpty() || expected == null) {
            return modules;
        }
        return List.of(LoadedModule.of(expected.path().toString(), expected, 0, LoadedModule.Kind.PROGRAM));
    }

    // ---- the process

    /** Binds the breakpoints to a process (launched or attached, or the new one of a restart). */
    public void bind(TracedProcess process) {
        EngineHandle fresh;
        try { // the trip to the tracer without the lock; the engine ignores hits until it is bound
            fresh = process.attach(event -> process == this.process ? report(event) : ResumeAction.RESUME,
                    EnumSet.of(EventType.BREAKPOINT), 0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot attach the breakpoint engine: " + e.getMessage(), e);
        }
        EngineHandle old;
        synchronized (this) {
            old = handle;
            byAddress.clear();
            this.handle = fresh; // before process: the engine acts once process is this one
            this.process = process;
            this.modules = List.of();
            for (UserBreakpoint bp : all()) {
                bp.addresses = List.of(); // verified stays as the program's file said: the modules set the addresses
            }
        }
        if (old != null) {
            old.detach();
        }
    }

    /**
     * The modules changed: resolves every breakpoint again and tells the listener of those whose
     * resolution changed (a pending one verified, one lost with its library). Called while the
     * loading thread is held, so new locations are in before the library's code runs.
     */
    public void modulesChanged(List<LoadedModule> now) {
        List<UserBreakpoint> changed = new ArrayList<>();
        List<Planting> plantings;
        synchronized (this) {
            modules = List.copyOf(now);
            if (process == null) {
                return;
            }
            for (UserBreakpoint bp : all()) {
                List<Long> before = bp.addresses;
                boolean wasVerified = bp.verified;
                int line = bp.resolvedLine;
                uninstall(bp);
                resolve(bp);
                install(bp);
                if (!before.equals(bp.addresses) || wasVerified != bp.verified || line != bp.resolvedLine) {
                    changed.add(bp);
                }
            }
            plantings = takePlantings();
        }
        awaitAll(plantings);
        changed.forEach(listener::changed);
    }

    private List<UserBreakpoint> all() {
        List<UserBreakpoint> out = new ArrayList<>();
        bySource.values().forEach(out::addAll);
        out.addAll(functions);
        out.addAll(instructions);
        return out;
    }

    private void resolve(UserBreakpoint bp) {
        bp.addresses = List.of();
        bp.verified = false;
        if (!bp.usable()) {
            return; // its message says why
        }
        UserBreakpoint.Spec spec = bp.spec();
        switch (spec.kind()) {
            case LINE -> resolveLine(bp, spec);
            case FUNCTION -> resolveFunction(bp, spec);
            case INSTRUCTION -> resolveInstruction(bp, spec);
            default -> throw new IllegalStateException();
        }
        if (modules.isEmpty()) {
            bp.addresses = List.of(); // checked against the program's file only: no run-time addresses yet
        }
    }

    private void resolveLine(UserBreakpoint bp, UserBreakpoint.Spec spec) {
        bp.resolvedLine = spec.line();
        bp.resolvedSource = spec.source();
        List<Long> addresses = new ArrayList<>();
        int bestLine = Integer.MAX_VALUE;
        Map<LoadedModule, ModuleSymbols.LineAddresses> found = new HashMap<>();
        // Modules with their own DWARF (the program, libraries built with -g) first; a system
        // library's separate debug file (libc6-dbg: thousands of units) is read for a line only
        // when no other module has that source, so a breakpoint in the program never reads it.
        for (boolean separate : new boolean[] {false, true}) {
            for (String query : new String[] {spec.source(), baseName(spec.source())}) {
                for (LoadedModule m : resolvable()) {
                    ModuleSymbols symbols = ModuleSymbols.of(m.elf());
                    if ((symbols.debugFile() != symbols.elf()) == separate) {
                        symbols.addressesForLine(query, spec.line()).ifPresent(la -> found.put(m, la));
                    }
                }
                if (!found.isEmpty()) {
                    break; // the full path matched; else the file was built elsewhere: match by name
                }
            }
            if (!found.isEmpty()) {
                break;
            }
        }
        for (ModuleSymbols.LineAddresses la : found.values()) {
            bestLine = Math.min(bestLine, la.line());
        }
        for (Map.Entry<LoadedModule, ModuleSymbols.LineAddresses> e : found.entrySet()) {
            if (e.getValue().line() == bestLine) {
                for (long a : e.getValue().addresses()) {
                    addresses.add(e.getKey().toRuntime(a));
                }
                bp.resolvedSource = e.getValue().path();
            }
        }
        if (addresses.isEmpty()) {
            bp.message = modules.isEmpty() ? "the program is not running yet: the breakpoint will be set when it loads"
                    : "no code at or after line " + spec.line() + " of " + baseName(spec.source())
                    + " in the loaded modules; it will be set if a library with that code loads";
            return;
        }
        bp.resolvedLine = bestLine;
        bp.addresses = List.copyOf(addresses);
        bp.verified = true;
        bp.message = bestLine != spec.line() ? "moved to line " + bestLine + ", the first with code" : null;
    }

    private void resolveFunction(UserBreakpoint bp, UserBreakpoint.Spec spec) {
        List<Long> addresses = new ArrayList<>();
        for (LoadedModule m : resolvable()) {
            ModuleSymbols symbols = ModuleSymbols.of(m.elf());
            for (long a : symbols.functionEntries(spec.function())) {
                addresses.add(m.toRuntime(a));
                if (bp.resolvedSource == null) {
                    symbols.positionAt(a).ifPresent(p -> {
                        bp.resolvedSource = p.path();
                        bp.resolvedLine = p.line();
                    });
                }
            }
        }
        if (addresses.isEmpty()) {
            bp.message = "no function named '" + spec.function() + "' in the loaded modules"
                    + (modules.isEmpty() ? " (the program is not running yet)" : "; it will be set if a library defines it");
            return;
        }
        bp.addresses = List.copyOf(addresses);
        bp.verified = true;
        bp.message = null;
    }

    private void resolveInstruction(UserBreakpoint bp, UserBreakpoint.Spec spec) {
        long address = spec.address();
        for (LoadedModule m : modules) {
            if (m.contains(address)) {
                bp.addresses = List.of(address);
                bp.verified = true;
                bp.message = null;
                ModuleSymbols.of(m.elf()).positionAt(m.toLinkTime(address)).ifPresent(p -> {
                    bp.resolvedSource = p.path();
                    bp.resolvedLine = p.line();
                });
                return;
            }
        }
        bp.message = "0x" + Long.toHexString(address) + " is in no loaded module"
                + (modules.isEmpty() ? " (the program is not running yet)" : "");
    }

    private void install(UserBreakpoint bp) {
        if (handle == null || modules.isEmpty()) {
            return; // not mapped yet (or only checked against the expected program): nothing to plant
        }
        for (long a : bp.addresses) {
            List<UserBreakpoint> here = byAddress.compute(a, (k, list) -> {
                List<UserBreakpoint> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
                next.add(bp);
                return List.copyOf(next);
            });
            if (here.size() == 1) {
                plantings.add(new Planting(handle.insertBreakpoint(a), "set a breakpoint at 0x" + Long.toHexString(a)));
            }
        }
    }

    private void uninstall(UserBreakpoint bp) {
        if (handle == null || modules.isEmpty()) {
            return;
        }
        for (long a : bp.addresses) {
            List<UserBreakpoint> left = byAddress.computeIfPresent(a, (k, list) -> {
                List<UserBreakpoint> next = new ArrayList<>(list);
                next.remove(bp);
                return next.isEmpty() ? null : List.copyOf(next);
            });
            if (left == null) {
                plantings.add(new Planting(handle.removeBreakpoint(a), "remove the breakpoint at 0x" + Long.toHexString(a)));
            }
        }
    }

    /** An int3 queued to the tracer thread, and what it does (for the log if it fails). */
    private record Planting(java.util.concurrent.CompletableFuture<Void> done, String what) {
    }

    /** Int3 edits queued under the lock, waited for once it is let go. */
    private List<Planting> plantings = new ArrayList<>();

    private List<Planting> takePlantings() {
        List<Planting> taken = plantings;
        plantings = new ArrayList<>();
        return taken;
    }

    private static void awaitAll(List<Planting> plantings) {
        for (Planting p : plantings) {
            TracerWaits.awaitOrLog(p.done(), TIMEOUT_SECONDS, LOG, p.what());
        }
    }

    // ---- hits (tracer thread)

    private ResumeAction report(ThreadEvent event) {
        if (!(event instanceof ThreadEvent.BreakpointHit hit)) {
            return ResumeAction.RESUME;
        }
        int tid = hit.tid();
        List<UserBreakpoint> here = byAddress.get(hit.address());
        if (here == null || process.isReportedStopped(tid)) {
            return ResumeAction.RESUME;
        }
        List<Integer> stopping = new ArrayList<>();
        Conditions c = conditions;
        dev.quiesce.linux.Registers regs = null;
        for (UserBreakpoint bp : here) {
            if ((bp.spec().condition().isPresent() || bp.spec().logMessage().isPresent()) && regs == null && c != null) {
                regs = handle.registersNow(tid); // on the tracer thread
            }
            if (bp.spec().condition().isPresent() && (c == null || !c.holds(process, tid, regs, bp))) {
                continue;
            }
            if (!bp.countHit()) {
                continue;
            }
            if (bp.spec().logMessage().isPresent()) {
                String text = c != null ? c.logMessage(process, tid, regs, bp) : bp.spec().logMessage().get();
                listener.logged(tid, bp, text);
                continue;
            }
            stopping.add(bp.id());
        }
        if (!stopping.isEmpty()) {
            beforeStop.accept(tid);
            process.stopForClient(ThreadStop.of(tid, StopReason.BREAKPOINT, stopping));
        }
        return ResumeAction.RESUME; // the client's hold keeps a stopped thread
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
