package dev.quiesce.debugger;

import dev.quiesce.disasm.Capstone;
import dev.quiesce.engine.Engine;
import dev.quiesce.engine.EngineHandle;
import dev.quiesce.engine.ResumeAction;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadEvent;
import dev.quiesce.engine.ThreadStop;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.Registers;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.dwarf.Function;
import dev.quiesce.symbols.elf.ElfSection;
import dev.quiesce.symbols.solib.SharedLibraries;
import dev.quiesce.symbols.unwind.Frame;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One thread's step (a thread-scoped engine): runs the thread with temporary breakpoints on
 * every way out of the current source line, decoded from its instructions, so a one-line loop
 * of a million iterations costs a few stops; each breakpoint expects a frame (its CFA), so
 * recursion and signal handlers that run the same code do not end the step. Single-steps only
 * what cannot be known before it runs (indirect jumps and calls) and instruction steps.
 *
 * <p>All methods but {@link #begin} run on the tracer thread, in the engine's callbacks.
 */
final class StepPlan implements Engine {
    /** Why a temporary breakpoint is there. */
    private enum Purpose { EXIT, RETURN_INSN, CALL_INSN, INDIRECT, RETURNED, CALLEE_BODY, STEP_OUT,
        /** A user function's body, armed while std code runs: a stop there if in a frame deeper than expected. */
        USER_ENTRY }

    private final TracedProcess process;
    private final SharedLibraries libraries;
    private final StackWalker walker;
    private final int tid;
    private final StepKind kind;
    private final boolean instructionGranularity;
    private final Runnable onEnd;
    private final RustStdCode std;
    /** The step began in std code without sources: it is stepped as any code with lines (no skipping). */
    private boolean startedInStd;
    /** A step into one call of the line (a step-in target): that call instruction's address; -1: any call. */
    private long onlyCall = -1;
    private EngineHandle handle;
    /** The frame being stepped: the CFA its breakpoints expect. */
    private long frameCfa;
    private String file;
    private int line;
    /** The inline depth of the source frame being stepped: deeper code is an inlined callee. */
    private int startDepth;
    private final Map<Long, Purpose> purposes = new HashMap<>();
    private final Map<Long, Long> expectedCfa = new HashMap<>();
    private final Set<Long> inserted = new HashSet<>();
    /** A single-step is under way for: INDIRECT (then arrive) or a call (then maybe stop in the callee). */
    private Purpose stepping;
    private boolean ended;

    StepPlan(TracedProcess process, SharedLibraries libraries, StackWalker walker, RustStdCode std, int tid, StepKind kind,
             boolean instructionGranularity, Runnable onEnd) {
        this.std = std;
        this.process = process;
        this.libraries = libraries;
        this.walker = walker;
        this.tid = tid;
        this.kind = kind;
        this.instructionGranularity = instructionGranularity;
        this.onEnd = onEnd;
    }

    /** Makes this step in enter only the call at {@code address} (the others are stepped over). */
    StepPlan onlyInto(long address) {
        this.onlyCall = address;
        return this;
    }

    /**
     * Plans from the thread's stopped state (any thread; the thread is stopped for the client),
     * and returns the action its first run takes: RESUME with breakpoints, or SINGLESTEP.
     */
    ResumeAction begin(EngineHandle handle, Registers regs) {
        this.handle = handle;
        List<Frame> frames = walker.physicalFrames(regs, 2);
        frameCfa = frames.get(0).cfa();
        long pc = regs.rip();
        if (kind == StepKind.OUT) {
            if (frames.size() < 2) {
                throw new IllegalStateException("thread " + tid + " has no caller frame to step out to");
            }
            want(frames.get(1).pc(), Purpose.STEP_OUT, frames.get(1).cfa());
            return ResumeAction.RESUME;
        }
        if (instructionGranularity) {
            return instructionStep(pc);
        }
        Optional<ModuleSymbols.LineRange> range = lineRange(pc);
        if (range.isEmpty()) {
            // No line information here (libc without its debug file, code built without -g): as
            // gdb does, run until this function returns, then on to a statement of the caller.
            if (frames.size() < 2) {
                return instructionStep(pc);
            }
            want(frames.get(1).pc(), Purpose.RETURNED, frames.get(1).cfa());
            return ResumeAction.RESUME;
        }
        LoadedModule module = moduleAt(pc).orElseThrow();
        startedInStd = std.isStdWithoutSource(module, pc);
        List<dev.quiesce.symbols.CodeFrame> frames0 = ModuleSymbols.of(module.elf()).framesAt(module.toLinkTime(pc), true);
        startDepth = frames0.size() - 1;
        file = frames0.get(0).source().map(dev.quiesce.symbols.SourcePosition::path).orElse(range.get().path());
        line = frames0.get(0).source().map(dev.quiesce.symbols.SourcePosition::line).orElse(range.get().line());
        planRange(range.get(), module);
        return atOwnBreakpoint(pc); // a step that starts at a return or a call
    }

    /** One instruction; over a call for OVER (a breakpoint after it, in this frame). */
    private ResumeAction instructionStep(long pc) {
        if (kind == StepKind.OVER) {
            List<Capstone.Instruction> insn = Capstone.disassemble(process.readMemoryNow(pc, 16), pc, 1);
            if (!insn.isEmpty() && CodeExits.mnemonic(insn.get(0)).startsWith("call")) {
                want(pc + insn.get(0).bytes().length, Purpose.STEP_OUT, frameCfa);
                return ResumeAction.RESUME;
            }
        }
        stepping = Purpose.STEP_OUT;
        return ResumeAction.SINGLESTEP;
    }

    private void planRange(ModuleSymbols.LineRange linkRange, LoadedModule m) {
        long low = m.toRuntime(linkRange.low());
        long high = m.toRuntime(linkRange.high());
        byte[] code = process.readMemoryNow(low, (int) (high - low));
        CodeExits exits = CodeExits.of(code, low, high);
        for (long target : exits.targets()) {
            want(target, Purpose.EXIT, frameCfa);
        }
        for (long insn : exits.returns()) {
            want(insn, Purpose.RETURN_INSN, frameCfa);
        }
        for (long insn : exits.opaque()) {
            want(insn, Purpose.INDIRECT, frameCfa);
        }
        if (kind == StepKind.IN) {
            for (long call : exits.calls()) {
                if (onlyCall < 0 || call == onlyCall) {
                    want(call, Purpose.CALL_INSN, frameCfa);
                }
            }
        }
    }

    private void want(long address, Purpose purpose, long cfa) {
        purposes.put(address, purpose);
        expectedCfa.put(address, cfa);
        if (inserted.add(address)) {
            handle.insertBreakpoint(address);
        }
    }

    private void clearBreakpoints() {
        for (long a : inserted) {
            handle.removeBreakpoint(a);
        }
        inserted.clear();
        purposes.clear();
        expectedCfa.clear();
    }

    @Override
    public ResumeAction report(ThreadEvent event) {
        if (ended || event.tid() != tid) {
            return ResumeAction.RESUME;
        }
        if (event instanceof ThreadEvent.Exited) {
            end();
            return ResumeAction.RESUME;
        }
        try {
            if (event instanceof ThreadEvent.BreakpointHit hit) {
                return hit(hit.address());
            }
            if (event instanceof ThreadEvent.Stepped) {
                return stepped();
            }
        } catch (RuntimeException e) {
            finish(); // a step that cannot go on stops where it is, rather than run away
            return ResumeAction.RESUME;
        }
        return ResumeAction.RESUME;
    }

    private ResumeAction hit(long pc) {
        Purpose purpose = purposes.get(pc);
        if (purpose == null) {
            return ResumeAction.RESUME;
        }
        Registers regs = registers();
        List<Frame> frames = walker.physicalFrames(regs, purpose == Purpose.RETURN_INSN ? 2 : 1);
        long cfa = frames.get(0).cfa();
        if (purpose == Purpose.USER_ENTRY) {
            if (cfa < expectedCfa.get(pc)) {
                finish(); // user code called from std (a closure given to an iterator adaptor)
            }
            return ResumeAction.RESUME;
        }
        if (cfa != expectedCfa.get(pc)) {
            return ResumeAction.RESUME; // the same code in another frame (recursion, a signal handler)
        }
        switch (purpose) {
            case STEP_OUT, CALLEE_BODY -> {
                finish();
                return ResumeAction.RESUME;
            }
            case RETURN_INSN -> {
                // The return's target is on the stack now: run to it, in the caller's frame.
                long target = process.memory().readLong(regs.rsp());
                if (frames.size() < 2) {
                    finish();
                    return ResumeAction.RESUME;
                }
                want(target, Purpose.RETURNED, frames.get(1).cfa());
                return ResumeAction.RESUME;
            }
            case CALL_INSN -> {
                long target = callTarget(pc);
                if (target < 0) {
                    stepping = Purpose.CALL_INSN;
                    return ResumeAction.SINGLESTEP;
                }
                intoCallee(target, regs.rsp());
                return ResumeAction.RESUME;
            }
            case INDIRECT -> {
                stepping = Purpose.INDIRECT;
                return ResumeAction.SINGLESTEP;
            }
            case RETURNED -> {
                frameCfa = cfa;
                return arrived(pc);
            }
            default -> {
                return arrived(pc);
            }
        }
    }

    private ResumeAction stepped() {
        Purpose was = stepping;
        stepping = null;
        Registers regs = registers();
        long pc = regs.rip();
        if (was == Purpose.CALL_INSN) {
            // At the callee's first instruction: its frame's CFA is rsp + 8 (the return address).
            intoCallee(pc, regs.rsp() + 8);
            return ResumeAction.RESUME;
        }
        if (was == Purpose.INDIRECT) {
            frameCfa = walker.physicalFrames(regs, 1).get(0).cfa();
            return arrived(pc);
        }
        finish(); // an instruction step
        return ResumeAction.RESUME;
    }

    /**
     * Step in: stop at the callee's body if it has line information (not a PLT stub, not code
     * without debug info); otherwise let it run, back into the line being stepped.
     */
    private void intoCallee(long entry, long calleeCfa) {
        Optional<LoadedModule> m = moduleAt(entry);
        if (m.isEmpty() || inPlt(m.get(), entry)) {
            return;
        }
        ModuleSymbols symbols = ModuleSymbols.of(m.get().elf());
        Optional<Function> f = symbols.functionAt(m.get().toLinkTime(entry));
        if (f.isEmpty() || symbols.positionAt(m.get().toLinkTime(entry)).isEmpty()) {
            return;
        }
        if (!startedInStd && onlyCall < 0 && std.isStdWithoutSource(m.get(), entry)) {
            // Rust's std without sources, as code without line info: not entered, but the user
            // functions it calls (closures, trait impls) stop the step at their body. A step-in
            // target the user chose (stepInTargets) is entered, std or not.
            armUserEntries(m.get(), frameCfa);
            return;
        }
        long body = m.get().toRuntime(symbols.afterPrologue(f.get()));
        want(body, Purpose.CALLEE_BODY, calleeCfa);
    }

    private static boolean inPlt(LoadedModule m, long address) {
        long link = m.toLinkTime(address);
        for (ElfSection s : m.elf().sections()) {
            if (s.name().startsWith(".plt") && link >= s.address() && link < s.address() + s.size()) {
                return true;
            }
        }
        return false;
    }

    /** Breakpoints on the module's user functions, stopping calls deeper than the frame whose CFA is {@code boundCfa}. */
    private void armUserEntries(LoadedModule m, long boundCfa) {
        for (long body : std.userEntries(m)) {
            if (!purposes.containsKey(body)) {
                want(body, Purpose.USER_ENTRY, boundCfa);
            }
        }
    }

    /**
     * Control is in a function of std without sources, come back to from user code (a closure
     * returned into the adaptor that called it): run out of it to its caller, and on from there as
     * after any return, stopping earlier if std calls user code again (the closure's next call).
     */
    private ResumeAction outOfStd(LoadedModule m) {
        List<Frame> frames = walker.physicalFrames(registers(), 2);
        if (frames.size() < 2) {
            finish();
            return ResumeAction.RESUME;
        }
        clearBreakpoints();
        want(frames.get(1).pc(), Purpose.RETURNED, frames.get(1).cfa());
        armUserEntries(m, frames.get(1).cfa());
        return ResumeAction.RESUME;
    }

    private long callTarget(long pc) {
        List<Capstone.Instruction> insn = Capstone.disassemble(process.readMemoryNow(pc, 16), pc, 1);
        return insn.isEmpty() ? -1 : CodeExits.directTarget(insn.get(0).operands());
    }

    /** Control left the line's code at {@code pc} (in the stepped frame): stop at a new statement, else go on. */
    private ResumeAction arrived(long pc) {
        Optional<LoadedModule> m = moduleAt(pc);
        if (m.isEmpty()) {
            finish();
            return ResumeAction.RESUME;
        }
        ModuleSymbols symbols = ModuleSymbols.of(m.get().elf());
        long link = m.get().toLinkTime(pc);
        Optional<ModuleSymbols.LineRange> range = symbols.lineRangeAt(link);
        if (range.isEmpty()) {
            Optional<ModuleSymbols.LineRange> zero = symbols.lineZeroRangeAt(link);
            if (zero.isPresent()) {
                // line 0 (rustc's code between statements, as after a call's overflow check): stepped
                // through as gdb does, and the next statement of any line ends the step, even the
                // line being stepped (rust-gdb: "next" on a for loop's body line stops on it again)
                line = 0;
                clearBreakpoints();
                planRange(zero.get(), m.get());
                return atOwnBreakpoint(pc);
            }
            finish(); // code without line information: stop here rather than run on blindly
            return ResumeAction.RESUME;
        }
        List<dev.quiesce.symbols.CodeFrame> frames = symbols.framesAt(link, true);
        int depth = frames.size() - 1;
        boolean skipStd = !startedInStd && std.isStdWithoutSource(m.get(), pc);
        if (skipStd && depth == 0 && symbols.functionAt(link).map(f -> std.isStdWithoutSource(m.get(), m.get().toRuntime(f.entryPc()))).orElse(true)) {
            return outOfStd(m.get());
        }
        if ((kind == StepKind.OVER || skipStd) && depth > startDepth) {
            // Inside a function inlined into the line being stepped: step over it as over a
            // call (gdb does): on through its lines, the line being stepped unchanged.
            clearBreakpoints();
            planRange(range.get(), m.get());
            return atOwnBreakpoint(pc);
        }
        startDepth = Math.min(startDepth, depth); // out of an inlined function: now in its caller
        // The line as the frame shows it (at an inlined copy's first instruction: the call's line).
        dev.quiesce.symbols.SourcePosition here = frames.get(0).source()
                .orElse(new dev.quiesce.symbols.SourcePosition(range.get().path(), range.get().line(), 0));
        boolean newLine = here.line() != line || !here.path().equals(file);
        if (newLine && symbols.isStatementStart(link)) {
            finish();
            return ResumeAction.RESUME;
        }
        // Mid-line (back into a loop's line, or returned into the middle of the caller's line): keep stepping.
        file = here.path();
        line = here.line();
        clearBreakpoints();
        planRange(range.get(), m.get());
        return atOwnBreakpoint(pc);
    }

    /**
     * The thread is at an address the new plan marks (a return, a call, an indirect jump): it
     * would step over that breakpoint on resume, so act on it now, as if it had been hit.
     */
    private ResumeAction atOwnBreakpoint(long pc) {
        Purpose purpose = purposes.get(pc);
        return purpose == null || purpose == Purpose.EXIT ? ResumeAction.RESUME : hit(pc);
    }

    private Registers registers() {
        return handle.registersNow(tid); // callbacks and begin() run on the tracer thread
    }

    private Optional<LoadedModule> moduleAt(long pc) {
        return libraries.moduleAt(pc);
    }

    private Optional<ModuleSymbols.LineRange> lineRange(long pc) {
        return moduleAt(pc).flatMap(m -> ModuleSymbols.of(m.elf()).lineRangeAt(m.toLinkTime(pc)));
    }

    /** The step is done: the client is told the thread stopped (reason step). */
    private void finish() {
        if (ended) {
            return;
        }
        // The client's hold first: the detach re-evaluates the thread, which must stay stopped.
        process.stopForClient(ThreadStop.of(tid, StopReason.STEP, List.of()));
        end();
    }

    /** Ends the plan without a stop (cancelled, or the thread is gone). */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        clearBreakpoints();
        handle.detach();
        onEnd.run();
    }
}
