package dev.quiesce.debugger.exceptions;

import dev.quiesce.debugger.TracerWaits;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.EventType;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.Registers;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.elf.ElfSymbol;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * The cpp_throw, cpp_catch and rust_panic exception filters of one session: breakpoints at the
 * entry of the C++ runtime's {@code __cxa_throw} and {@code __cxa_begin_catch}, and of Rust std's
 * {@code rust_panic} (as CodeLLDB breaks), in every loaded module that defines them (libstdc++,
 * libc++abi, a program linked with a static runtime, every Rust program), set again as modules
 * load and unload. A hit whose thrown type passes the filter's type names reports the thread
 * stopped (reason {@link StopReason#CXX_THROW} or {@link StopReason#CXX_CATCH}, the type's name
 * as the detail; {@link StopReason#RUST_PANIC} with the panic's message when {@link RustPanic}
 * can read it); any other hit lets the thread run on. Like gdb's {@code catch throw}, the stop
 * is in the runtime function, the code that threw or panicked further up.
 */
public final class ExceptionBreakpoints {
    private static final Logger LOG = Logger.getLogger(ExceptionBreakpoints.class.getName());
    private static final long TIMEOUT_SECONDS = 10;
    static final String THROW = "__cxa_throw";
    static final String BEGIN_CATCH = "__cxa_begin_catch";
    static final String RUST_PANIC = "rust_panic";

    /** What the filters ask for: each of throw and catch off (null) or on with its type names; Rust panics on or off. */
    public record Filter(TypeNameList onThrow, TypeNameList onCatch, boolean onPanic) {
        public static final Filter OFF = new Filter(null, null, false);

        boolean wants(StopReason kind) {
            return kind == StopReason.RUST_PANIC ? onPanic : (kind == StopReason.CXX_THROW ? onThrow : onCatch) != null;
        }

        boolean passes(StopReason kind, Optional<String> type) {
            if (kind == StopReason.RUST_PANIC) {
                return onPanic;
            }
            TypeNameList names = kind == StopReason.CXX_THROW ? onThrow : onCatch;
            return names != null && names.matches(type.orElse(null));
        }
    }

    private volatile Filter filter = Filter.OFF;
    private List<LoadedModule> modules = List.of();
    private volatile TracedProcess process;
    private EngineHandle handle;
    /** Planted breakpoints: run-time address → throw or catch. Read on the tracer thread. */
    private final Map<Long, StopReason> planted = new ConcurrentHashMap<>();
    /** Where rust_panic is in each module seen (empty for most). */
    private final Map<LoadedModule, List<Long>> panicEntries = new ConcurrentHashMap<>();
    /** The last exception each thread stopped for (exceptionInfo asks for the object's address). */
    private final Map<Integer, ThrownException> lastStops = new ConcurrentHashMap<>();

    /** Binds to a process (launched, attached, or the new one of a restart); the old one's breakpoints are gone with it. */
    public void bind(TracedProcess process) {
        EngineHandle fresh;
        try { // the trip to the tracer without the lock; the engine ignores hits until it is bound
            fresh = process.attach(event -> process == this.process ? report(event) : ResumeAction.RESUME,
                    EnumSet.of(EventType.BREAKPOINT), 0).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot attach the C++ exception engine: " + e.getMessage(), e);
        }
        EngineHandle old;
        synchronized (this) {
            old = handle;
            planted.clear();
            lastStops.clear();
            panicEntries.clear();
            this.handle = fresh; // before process: the engine acts once process is this one
            this.process = process;
            this.modules = List.of();
        }
        if (old != null) {
            old.detach();
        }
    }

    /** The client changed the filters; breakpoints follow at once. */
    public void setFilter(Filter filter) {
        List<Edit> edits;
        synchronized (this) {
            this.filter = filter;
            edits = plant();
        }
        awaitAll(edits);
    }

    /** The loaded modules changed (called while the loading thread is held). */
    public void modulesChanged(List<LoadedModule> now) {
        List<Edit> edits;
        synchronized (this) {
            modules = List.copyOf(now);
            edits = plant();
        }
        awaitAll(edits);
    }

    /** The exception a thread last stopped for, while it stays the thread's last stop. */
    public Optional<ThrownException> lastStop(int tid) {
        return Optional.ofNullable(lastStops.get(tid));
    }

    /** A queued int3 edit, waited for after the monitor is let go. */
    private record Edit(java.util.concurrent.CompletableFuture<Void> done, String what) {
    }

    /**
     * Decides the int3s and queues their edits under the monitor (so two changes reach the
     * tracer in the order they were decided); the caller waits for them without it.
     */
    private List<Edit> plant() {
        if (handle == null) {
            return List.of();
        }
        Map<Long, StopReason> wanted = new HashMap<>();
        for (LoadedModule m : modules) {
            for (StopReason kind : new StopReason[] {StopReason.CXX_THROW, StopReason.CXX_CATCH, StopReason.RUST_PANIC}) {
                if (filter.wants(kind)) {
                    for (long a : kind == StopReason.RUST_PANIC ? rustPanics(m) : entries(m, kind == StopReason.CXX_THROW ? THROW : BEGIN_CATCH)) {
                        wanted.put(a, kind);
                    }
                }
            }
        }
        List<Edit> edits = new java.util.ArrayList<>();
        for (Long a : List.copyOf(planted.keySet())) {
            if (!wanted.containsKey(a)) {
                planted.remove(a);
                edits.add(new Edit(handle.removeBreakpoint(a), "remove the breakpoint at 0x" + Long.toHexString(a)));
            }
        }
        for (Map.Entry<Long, StopReason> e : wanted.entrySet()) {
            if (planted.put(e.getKey(), e.getValue()) == null) {
                edits.add(new Edit(handle.insertBreakpoint(e.getKey()), "set a breakpoint at 0x" + Long.toHexString(e.getKey())));
            }
        }
        return edits;
    }

    private static void awaitAll(List<Edit> edits) {
        for (Edit e : edits) {
            TracerWaits.awaitOrLog(e.done(), TIMEOUT_SECONDS, LOG, e.what());
        }
    }

    /** The function's first instruction (not past a prologue: the arguments are still in their registers). */
    private static List<Long> entries(LoadedModule m, String name) {
        return ModuleSymbols.of(m.elf()).functionSymbols().named(name).stream()
                .map(ElfSymbol::value).distinct().map(m::toRuntime).toList();
    }

    /**
     * std's {@code rust_panic}: unmangled in older Rust, {@code __rustc::rust_panic} (v0,
     * {@code _RNvCs.._7___rustc10rust_panic}) in newer, {@code std::panicking::rust_panic} in legacy names.
     */
    private List<Long> rustPanics(LoadedModule m) {
        // a scan of the module's symbols (the names carry a crate hash): once per module, as the filter is on by default
        return panicEntries.computeIfAbsent(m, ExceptionBreakpoints::scanForRustPanic);
    }

    private static List<Long> scanForRustPanic(LoadedModule m) {
        return ModuleSymbols.of(m.elf()).functionSymbols().all().stream()
                .filter(s -> s.name().equals(RUST_PANIC) || s.name().contains("10" + RUST_PANIC) && isRustPanic(s.name()))
                .map(ElfSymbol::value).distinct().map(m::toRuntime).toList();
    }

    private static boolean isRustPanic(String symbol) {
        String d = dev.quiesce.symbols.dwarf.RustDemangler.demangle(symbol);
        return d != null && (d.equals("__rustc::" + RUST_PANIC) || d.equals("std::panicking::" + RUST_PANIC));
    }


    // ---- hits (tracer thread)

    private ResumeAction report(ThreadEvent event) {
        if (!(event instanceof ThreadEvent.BreakpointHit hit)) {
            return ResumeAction.RESUME;
        }
        StopReason kind = planted.get(hit.address());
        if (kind == null || process.isReportedStopped(hit.tid())) {
            return ResumeAction.RESUME;
        }
        Registers regs = handle.registersNow(hit.tid()); // on the tracer thread
        ThrownException.Memory memory = new ThrownException.Memory() {
            @Override
            public long readLong(long address) {
                return process.memory().readLong(address);
            }

            @Override
            public byte[] read(long address, int length) {
                return process.memory().read(address, length);
            }
        };
        if (kind == StopReason.RUST_PANIC) {
            if (filter.passes(kind, Optional.empty())) {
                lastStops.remove(hit.tid());
                process.stopForClient(new ThreadStop(hit.tid(), kind, false, Optional.empty(), RustPanic.message(regs, memory), List.of()));
            }
            return ResumeAction.RESUME;
        }
        ThrownException thrown = kind == StopReason.CXX_THROW ? ThrownException.atThrow(regs, memory) : ThrownException.atCatch(regs, memory);
        if (filter.passes(kind, thrown.typeName())) {
            lastStops.put(hit.tid(), thrown);
            process.stopForClient(new ThreadStop(hit.tid(), kind, false, Optional.empty(), thrown.typeName(), List.of()));
        }
        return ResumeAction.RESUME; // the client's hold keeps a stopped thread
    }
}
