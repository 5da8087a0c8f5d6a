package dev.quiesce.values;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.linux.FpRegisters;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.DebugInfo;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.dwarf.FunctionIndex;
import dev.quiesce.symbols.dwarf.Scope;
import dev.quiesce.symbols.dwarf.Variable;
import dev.quiesce.symbols.unwind.RegisterSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Everything an expression needs from one selected frame: its registers as unwound, pc, CFA,
 * module (for the load bias and DWARF), function and the scopes visible at its pc, plus memory.
 * Without a frame ({@link #globalsOnly}) only globals and memory are available: that is what
 * works while the thread runs.
 */
public final class FrameContext {
    private static final Map<DebugInfo, TypeReader> TYPES = new ConcurrentHashMap<>();

    private final Memory memory;
    private final StackFrame frame; // null: no frame
    private final LoadedModule module;
    private final ModuleSymbols symbols;
    private final Function function;
    private final List<Scope> scopes;
    private final FpRegisters fp;
    private final List<LoadedModule> modules; // every loaded module, link-map order; may be empty
    private final ThreadLocals threadLocals; // null: the thread's TLS is not known

    private FrameContext(FrameContext base, List<LoadedModule> modules, ThreadLocals threadLocals) {
        this.memory = base.memory;
        this.frame = base.frame;
        this.module = base.module;
        this.fp = base.fp;
        this.symbols = base.symbols;
        this.function = base.function;
        this.scopes = base.scopes;
        this.modules = List.copyOf(modules);
        this.threadLocals = threadLocals;
    }

    private FrameContext(Memory memory, StackFrame frame, LoadedModule module, FpRegisters fp) {
        this.memory = memory;
        this.frame = frame;
        this.module = module;
        this.fp = fp;
        this.modules = List.of();
        this.threadLocals = null;
        this.symbols = module == null ? null : ModuleSymbols.of(module.elf());
        Function f = null;
        List<Scope> visible = List.of();
        if (frame != null && symbols != null && symbols.functions().isPresent()) {
            FunctionAndScopes known = SCOPES.computeIfAbsent(new ScopeKey(symbols, lookupPc(), frame.inlineDepth()), k -> {
                FunctionIndex index = k.symbols().functions().get();
                Function fn = index.functionAt(k.pc());
                return new FunctionAndScopes(fn, fn == null ? List.of() : visibleScopes(index.scopesAt(k.pc()), k.depth()));
            });
            if (SCOPES.size() > MAX_CACHED_SCOPES) {
                SCOPES.clear();
            }
            f = known.function();
            visible = known.scopes();
        }
        this.function = f;
        this.scopes = visible;
    }

    /**
     * The function and visible scopes at a pc do not change: a breakpoint condition evaluated
     * at every hit of one address looks them up once.
     */
    private record ScopeKey(ModuleSymbols symbols, long pc, int depth) {
    }

    private record FunctionAndScopes(Function function, List<Scope> scopes) {
    }

    private static final Map<ScopeKey, FunctionAndScopes> SCOPES = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_SCOPES = 4096;

    /** The selected frame; {@code fp} (frame 0's vector registers) may be null. */
    public static FrameContext of(Memory memory, StackFrame frame, FpRegisters fp) {
        return new FrameContext(memory, frame, frame.module().orElse(null), fp);
    }

    /** Globals of {@code module} only: no registers, no locals. */
    public static FrameContext globalsOnly(Memory memory, LoadedModule module) {
        return new FrameContext(memory, null, module, null);
    }

    /**
     * This context with the process's loaded modules (names not found in the frame's module are
     * looked up in the others, as gdb does) and, when {@code fsBase} is known, the selected
     * thread's thread pointer for thread-locals.
     */
    public FrameContext inProcess(List<LoadedModule> loaded, java.util.OptionalLong fsBase) {
        return new FrameContext(this, loaded, fsBase.isPresent() ? new ThreadLocals(loaded, fsBase.getAsLong()) : null);
    }

    /** Every loaded module (empty when not given). */
    public List<LoadedModule> modules() {
        return modules;
    }

    /** The same thread and process, for globals of another module (a name found there). */
    public FrameContext forModule(LoadedModule other) {
        return new FrameContext(new FrameContext(memory, null, other, null), modules, threadLocals);
    }

    /**
     * The address of {@code offset} in this module's thread-local block of the selected thread
     * (DW_OP_form_tls_address); throws when the thread or the layout is not known.
     */
    public long threadLocalAddress(long offset) {
        if (threadLocals == null || module == null) {
            throw new dev.quiesce.symbols.dwarf.DwarfException("thread-local storage needs a stopped thread");
        }
        return threadLocals.blockAddress(module, memory) + offset;
    }

    /**
     * The scopes of one source-level frame: a physical frame's scope chain is cut at each
     * inlined call; depth 0 is the real function, each inlined function one deeper.
     */
    private static List<Scope> visibleScopes(List<Scope> chain, int depth) {
        List<List<Scope>> segments = new ArrayList<>();
        segments.add(new ArrayList<>());
        for (Scope s : chain) {
            if (s.kind() == Scope.Kind.INLINED_SUBROUTINE) {
                segments.add(new ArrayList<>());
            }
            segments.get(segments.size() - 1).add(s);
        }
        return segments.get(Math.min(depth, segments.size() - 1));
    }

    public Memory memory() {
        return memory;
    }

    public boolean hasFrame() {
        return frame != null;
    }

    public StackFrame frame() {
        return frame;
    }

    public Optional<LoadedModule> module() {
        return Optional.ofNullable(module);
    }

    public ModuleSymbols symbols() {
        return symbols;
    }

    public Function function() {
        return function;
    }

    /** Outermost (the function) first, innermost block last. */
    public List<Scope> scopes() {
        return scopes;
    }

    public RegisterSet registers() {
        return frame == null ? RegisterSet.empty() : frame.registers();
    }

    public FpRegisters fpRegisters() {
        return frame != null && exact() ? fp : null;
    }

    /**
     * Whether the frame's pc is where it stopped (frame 0, or interrupted by a signal): then all
     * registers are known. A caller's pc is a return address, one past its call.
     */
    public boolean exact() {
        return frame != null && frame.registers().has(0);
    }

    /** The link-time pc to look scopes and location lists up with (pc-1 in callers: still in the call). */
    public long lookupPc() {
        long pc = module.toLinkTime(frame.pc());
        return exact() ? pc : pc - 1;
    }

    public long bias() {
        return module == null ? 0 : module.bias();
    }

    /** The (shared, cached) type reader of one module's DWARF. */
    public static TypeReader typeReader(DebugInfo info) {
        return TYPES.computeIfAbsent(info, TypeReader::new);
    }

    public Optional<TypeReader> types() {
        if (symbols == null || !symbols.hasDebugInfo() || symbols.functions().isEmpty()) {
            return Optional.empty();
        }
        DebugInfo info = symbols.functions().get().debugInfo();
        return Optional.of(TYPES.computeIfAbsent(info, TypeReader::new));
    }

    /** The variable with this DIE offset among the visible scopes, if any (VLA bounds refer to one). */
    public Optional<Variable> scopeVariable(long dieOffset) {
        for (Scope s : scopes) {
            for (Variable v : s.variables()) {
                if (v.dieOffset() == dieOffset) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The data symbol (ELF object) containing a run-time address, in whichever loaded module holds
     * it, with the offset into it ({@code State::kDefaultPool}, {@code vtable for BindingEnv+16}).
     */
    public Optional<String> dataSymbolAt(long address) {
        for (LoadedModule m : modules.isEmpty() && module != null ? List.of(module) : modules) {
            if (m.contains(address)) {
                return DataSymbols.of(m.elf()).at(m.toLinkTime(address));
            }
        }
        return Optional.empty();
    }

    /** The ELF symbol at a run-time address of this module ({@code multiply}, {@code main+4}). */
    public Optional<String> symbolAt(long address) {
        if (module == null || !module.contains(address)) {
            return Optional.empty();
        }
        return symbols.symbolWithOffset(module.toLinkTime(address));
    }
}
