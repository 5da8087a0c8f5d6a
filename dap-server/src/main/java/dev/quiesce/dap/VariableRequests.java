package dev.quiesce.dap;

import dev.quiesce.engine.ProgramState;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.dwarf.Scope;
import dev.quiesce.symbols.dwarf.Variable;
import dev.quiesce.symbols.solib.SharedLibraries;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Globals;
import dev.quiesce.values.Member;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.ValueFormatter;
import dev.quiesce.values.Values;
import dev.quiesce.values.call.FunctionCalls;
import dev.quiesce.values.call.ProgramCalls;
import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.stl.StlFormatters;
import dev.quiesce.values.stl.StlView;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import dev.quiesce.dap.Children.Child;
import org.eclipse.lsp4j.debug.EvaluateArguments;
import org.eclipse.lsp4j.debug.EvaluateResponse;
import org.eclipse.lsp4j.debug.ScopesArguments;
import org.eclipse.lsp4j.debug.ScopesResponse;
import org.eclipse.lsp4j.debug.SetExpressionArguments;
import org.eclipse.lsp4j.debug.SetExpressionResponse;
import org.eclipse.lsp4j.debug.SetVariableArguments;
import org.eclipse.lsp4j.debug.SetVariableResponse;
import org.eclipse.lsp4j.debug.VariablesArguments;
import org.eclipse.lsp4j.debug.VariablesResponse;

/**
 * scopes, variables, evaluate, setVariable and setExpression. A variablesReference names a
 * container (a scope or a value with children) of one frame of one stop of a thread: it stays
 * valid while that thread stays stopped, and answers with an error once it has resumed.
 *
 * <p>Threads: each request's value work (reading, formatting, evaluating) runs on the
 * {@code work} executor it is given (the session's request pool, with the request's deadline
 * current, see {@link RequestDeadlines}), never on the thread that completes the tracer's answer
 * (the tracer thread) nor on the caller's (LSP4J's reader thread): a formatter that loops must
 * stop neither the tracer nor the reading of requests. The maps are concurrent: several
 * requests' work runs at once, and {@link #threadContinued} comes from the events thread.
 */
final class VariableRequests {
    /** Children returned by one variables request that gives no count: a window of a 2^60-element array, not all of it. */
    static final int MAX_PAGE = 1000;

    /**
     * Something with children in the Variables view, of one stop of one thread ({@code owner}:
     * the stop of the frame it was read in; its children's containers have the same owner).
     */
    private record Container(ThreadReferences.Owner owner, FrameContext frame, Children children) {
        int tid() {
            return owner.tid();
        }
    }

    private final StackTraces stackTraces;
    /** variablesReferences, pooled per thread with the frame ids (one counter, one release per resume). */
    private final ThreadReferences references;

    VariableRequests(StackTraces stackTraces) {
        this.stackTraces = stackTraces;
        this.references = stackTraces.references();
    }

    private volatile Supplier<SharedLibraries> libraries = () -> null;

    /** Where the process's loaded modules come from: names are looked up in all of them. */
    void libraries(Supplier<SharedLibraries> libraries) {
        this.libraries = libraries;
    }

    private List<LoadedModule> loadedModules() {
        SharedLibraries libs = libraries.get();
        return libs == null ? List.of() : libs.modules();
    }

    /** The thread resumed (or stopped again): its frame ids and references are released, no other thread's. */
    void threadContinued(int tid) {
        references.release(tid);
    }

    /** The thread exited: nothing is kept for it. */
    void threadExited(int tid) {
        references.forget(tid);
    }

    /** The container a variablesReference names while its thread stays stopped; null if none. */
    private Container container(int reference) {
        return references.get(reference, Container.class).orElse(null);
    }

    /** Why a variablesReference names nothing now. */
    private String noContainer(int reference, String unknown) {
        int tid = references.releasedBy(reference);
        return tid >= 0 ? resumed(tid) : unknown;
    }

    private static String resumed(int tid) {
        return "thread " + tid + " has resumed since these variables were read; pause it to see them again";
    }

    CompletableFuture<FrameContext> frame(ProgramState process, int frameId) {
        StackTraces.FrameRef ref = stackTraces.frame(frameId).orElse(null);
        if (ref == null) {
            return RequestErrors.failed(stackTraces.noFrame(frameId));
        }
        return process.isStopped(ref.threadId()).thenCompose(stopped -> {
            if (!stopped || !references.current(ref.owner())) {
                return RequestErrors.failed("thread " + ref.threadId() + " is running (or ran since frame " + frameId
                        + " was listed): pause it and ask for its stack again");
            }
            FrameContext fc = FrameContext.of(DeadlineMemory.of(process.memory()), ref.frame(), null);
            // fs_base, the thread pointer: thread-locals of the selected thread are found from it
            return process.registers(ref.threadId())
                    .thenApply(r -> fc.inProcess(loadedModules(), java.util.OptionalLong.of(r.fsBase())))
                    .exceptionally(e -> fc.inProcess(loadedModules(), java.util.OptionalLong.empty()));
        });
    }

    CompletableFuture<ScopesResponse> scopes(ProgramState process, ScopesArguments args, Executor work) {
        ThreadReferences.Owner owner = owner(args.getFrameId());
        return frame(process, args.getFrameId()).thenApplyAsync(fc -> {
            dev.quiesce.trace.RequestTrace.mark("scopes: work starts");
            RequestDeadline.doingNow("reading the scopes of frame " + args.getFrameId());
            Values values = new Values(fc);
            List<org.eclipse.lsp4j.debug.Scope> out = new ArrayList<>();
            List<Variable> locals = new ArrayList<>();
            List<Variable> params = new ArrayList<>();
            List<Scope> scopes = fc.scopes();
            for (int i = scopes.size() - 1; i >= 0; i--) {
                for (Variable v : scopes.get(i).variables()) {
                    if (v.name() == null || locals.stream().anyMatch(l -> l.name().equals(v.name()))) {
                        continue; // shadowed by an inner block's variable
                    }
                    (v.parameter() ? params : locals).add(v);
                }
            }
            if (!params.isEmpty()) {
                out.add(scope("Arguments", "arguments", owner, fc, () -> variables(values, params), params.size()));
            }
            out.add(scope("Locals", "locals", owner, fc, () -> variables(values, locals), locals.size()));
            if (fc.function() != null && fc.types().isPresent()) {
                List<Globals.Global> unit = Globals.of(fc.types().get().debugInfo()).ofUnit(fc.function().unit().offset());
                out.add(scope("Globals", null, owner, fc, () -> globals(values, unit), unit.size()));
            }
            out.add(scope("Registers", "registers", owner, fc, () -> registers(values), Values.registerNames().size()));
            ScopesResponse r = new ScopesResponse();
            r.setScopes(out.toArray(new org.eclipse.lsp4j.debug.Scope[0]));
            return r;
        }, work);
    }

    /** The stop a frame id belongs to (a thread of its own, never released, when the id is unknown: frame() fails then). */
    private ThreadReferences.Owner owner(int frameId) {
        return stackTraces.frame(frameId).map(StackTraces.FrameRef::owner).orElseGet(() -> references.owner(-1));
    }

    private org.eclipse.lsp4j.debug.Scope scope(String name, String hint, ThreadReferences.Owner owner, FrameContext fc,
                                                Supplier<List<Child>> children, int count) {
        org.eclipse.lsp4j.debug.Scope s = new org.eclipse.lsp4j.debug.Scope();
        s.setName(name);
        s.setPresentationHint(hint);
        s.setVariablesReference(register(new Container(owner, fc, Children.of(children))));
        s.setNamedVariables(count);
        s.setExpensive(name.equals("Globals"));
        return s;
    }

    private int register(Container c) {
        return references.add(c.owner(), c);
    }

    private static List<Child> variables(Values values, List<Variable> vars) {
        List<Child> out = new ArrayList<>();
        for (Variable v : vars) {
            RequestDeadline.doingNow("reading '" + v.name() + "'");
            out.add(new Child(v.name(), Children.safe(() -> values.read(v), null), v.name()));
        }
        return out;
    }

    private static List<Child> globals(Values values, List<Globals.Global> globals) {
        List<Child> out = new ArrayList<>();
        for (Globals.Global g : globals) {
            RequestDeadline.doingNow("reading '" + g.qualifiedName() + "'");
            out.add(new Child(g.qualifiedName(), Children.safe(() -> values.read(g), null), g.qualifiedName()));
        }
        return out;
    }

    private static List<Child> registers(Values values) {
        List<Child> out = new ArrayList<>();
        for (String r : Values.registerNames()) {
            out.add(new Child(r, values.register(r).orElseThrow(), "$" + r));
        }
        return out;
    }

    CompletableFuture<VariablesResponse> variables(ProgramState process, VariablesArguments args, Executor work) {
        Container c = container(args.getVariablesReference());
        if (c == null) {
            return RequestErrors.failed(noContainer(args.getVariablesReference(), "unknown variablesReference " + args.getVariablesReference()
                    + " (the thread may have resumed since; ask for its stack again)"));
        }
        boolean hex = args.getFormat() != null && Boolean.TRUE.equals(args.getFormat().getHex());
        // a page's reads are cached in blocks for the request (no program code runs in it)
        return check(process, c).thenApplyAsync(ok -> RequestReads.during(() -> {
            dev.quiesce.trace.RequestTrace.mark("variables: work starts");
            int start = args.getStart() == null ? 0 : Math.max(0, args.getStart());
            int count = args.getCount() == null || args.getCount() <= 0 ? MAX_PAGE : Math.min(args.getCount(), MAX_PAGE);
            var filter = args.getFilter();
            List<Child> page = c.children().page(start, count, filter == org.eclipse.lsp4j.debug.VariablesArgumentsFilter.INDEXED,
                    filter == org.eclipse.lsp4j.debug.VariablesArgumentsFilter.NAMED);
            dev.quiesce.trace.RequestTrace.mark("variables: page of " + page.size() + " read");
            org.eclipse.lsp4j.debug.Variable[] out = new org.eclipse.lsp4j.debug.Variable[page.size()];
            boolean[] elsewhere = ParallelDescribe.split(page.stream().map(Child::value).toList());
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> RequestReads.during(() -> {
                describeAll(c, page, out, elsewhere, true, hex);
                dev.quiesce.trace.RequestTrace.mark("variables: other thread's part described");
                return null;
            }), ParallelDescribe.any(elsewhere) ? work : Runnable::run);
            describeAll(c, page, out, elsewhere, false, hex);
            dev.quiesce.trace.RequestTrace.mark("variables: this thread's part described");
            ParallelDescribe.join(other);
            dev.quiesce.trace.RequestTrace.mark("variables: described");
            VariablesResponse r = new VariablesResponse();
            r.setVariables(out);
            return r;
        }), work);
    }

    /** Describes the children whose {@code elsewhere} flag is {@code which}, each with this thread's formatter. */
    private void describeAll(Container c, List<Child> page, org.eclipse.lsp4j.debug.Variable[] out, boolean[] elsewhere, boolean which,
                             boolean hex) {
        Values values = new Values(c.frame());
        ValueFormatter f = new ValueFormatter(values, hex);
        Type lastType = null; // a page's elements share one type: its name is spelled once
        String typeName = null;
        for (int i = 0; i < out.length; i++) {
            if (elsewhere[i] == which) {
                Child child = page.get(i);
                RequestDeadline.doingNow("formatting", child.evaluateName());
                Type t = child.value().type();
                if (t != lastType) {
                    lastType = t;
                    typeName = t.name();
                }
                out[i] = describe(c, child, values, f, typeName);
            }
        }
    }

    /**
     * Describes a made-up page of {@link #MAX_PAGE} ints twice, outside any request (on
     * {@link JsonWarmup}'s low-priority thread at a session's start, issue 14): the JVM runs C1
     * only and compiles a method after a few hundred calls, so a session's first real page of
     * elements otherwise runs describe, its formatter and the value slicing interpreted while they
     * compile. No memory is read and nothing is registered (an int has no children).
     */
    void warmUp() {
        Values values = new Values(null);
        ValueFormatter f = new ValueFormatter(values, false);
        Value array = Value.inMemory(Type.arrayOf(Type.INT, MAX_PAGE), 0x10000, new byte[4 * MAX_PAGE]);
        Container c = new Container(new ThreadReferences.Owner(-1, 0), null, Children.of(List::<Child>of));
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < MAX_PAGE; i++) {
                Child child = new Child("[" + i + "]", values.element(array, i), "(warm-up)[" + i + "]");
                RequestDeadline.doingNow("formatting", child.evaluateName());
                describe(c, child, values, f, "int");
            }
        }
    }

    /** dataBreakpointInfo's look-up: a container's child of that name, with the container's thread and frame. */
    record Named(int tid, FrameContext frame, Value value) {
    }

    int frameThread(int frameId) {
        return stackTraces.frame(frameId).map(StackTraces.FrameRef::threadId).orElse(-1);
    }

    CompletableFuture<Named> named(ProgramState process, int reference, String name, Executor work) {
        Container c = container(reference);
        if (c == null) {
            return RequestErrors.failed(noContainer(reference, "unknown variablesReference " + reference + " (the thread may have resumed since)"));
        }
        return check(process, c).thenApplyAsync(ok -> new Named(c.tid(), c.frame(), c.children().named(name)
                .orElseThrow(() -> RequestErrors.error("no variable '" + name + "' here")).value()), work);
    }

    private CompletableFuture<Boolean> check(ProgramState process, Container c) {
        if (c.tid() < 0) {
            return CompletableFuture.completedFuture(true);
        }
        return process.isStopped(c.tid()).thenCompose(stopped -> {
            dev.quiesce.trace.RequestTrace.mark("variables: stopped checked");
            if (!stopped || !references.current(c.owner())) {
                return RequestErrors.failed(resumed(c.tid()));
            }
            return CompletableFuture.completedFuture(true);
        });
    }

    private org.eclipse.lsp4j.debug.Variable describe(Container parent, Child child, Values values, ValueFormatter f, String typeName) {
        org.eclipse.lsp4j.debug.Variable v = new org.eclipse.lsp4j.debug.Variable();
        v.setName(child.name());
        v.setValue(child.raw() ? f.formatRaw(child.value()) : f.format(child.value()));
        v.setType(typeName);
        v.setEvaluateName(child.evaluateName());
        int[] counts = new int[2];
        v.setVariablesReference(childrenOf(parent.owner(), parent.frame(), values, child, counts));
        if (counts[0] > 0) {
            v.setIndexedVariables(counts[0]);
        }
        if (counts[1] > 0) {
            v.setNamedVariables(counts[1]);
        }
        if (child.value().hasAddress()) {
            v.setMemoryReference(MemoryRequests.hex(child.value().address()));
        }
        return v;
    }

    /** A Rust tuple's (struct's, variant's) field {@code __0} is {@code 0}, as CodeLLDB names it and as {@code t.0} reads it. */
    private static String tupleField(Type owner, String name) {
        return owner.rust() && name.matches("__\\d+") ? name.substring(2) : name;
    }

    /** A reference for a value's children (0 if it has none); counts[0] indexed, counts[1] named. */
    private int childrenOf(ThreadReferences.Owner owner, FrameContext fc, Values values, Child child, int[] counts) {
        Value value = child.value();
        if (value.optimizedOut() || value.error() != null && !(value.hasAddress() && value.type().strip().kind() == Type.Kind.ARRAY)) {
            return 0; // nothing to expand; an array too large to read whole still has its elements
        }
        Type t = value.type().strip();
        String en = child.evaluateName();
        if (t.kind() == Type.Kind.REFERENCE && t.target() != null && StlFormatters.knows(t.target())) {
            // a reference to a library object expands as the object (its value text is the object's too)
            Value target = Children.safe(() -> values.dereference(value), t.target());
            return childrenOf(owner, fc, values, new Child(child.name(), target, en, child.raw()), counts);
        }
        switch (t.kind()) {
            case STRUCT, CLASS, UNION: {
                Optional<StlView> view = child.raw() ? Optional.empty() : library(values, value);
                if (view.isPresent()) {
                    StlView lv = view.get();
                    long n = lv.hint() == StlView.Hint.STRING ? 0 : lv.size();
                    if (lv.indexed()) {
                        counts[0] = (int) Math.min(Integer.MAX_VALUE, n);
                        counts[1] = 1;
                    } else {
                        counts[1] = (int) n + 1;
                    }
                    return register(new Container(owner, fc, new Children.LibraryElements(values, lv, value, en, n)));
                }
                List<Member> members = t.members();
                Value fields = value;
                if (t.variants() != null) { // a Rust enum: the fields of the variant its discriminant selects
                    Member variant = dev.quiesce.values.RustText.activeVariant(values, value, t.variants());
                    fields = variant == null ? value : Children.safe(() -> values.member(value, variant), variant.type());
                    members = variant == null ? List.of() : variant.type().strip().members();
                }
                counts[1] = members.size();
                List<Member> shownMembers = members;
                Value shown = fields;
                return register(new Container(owner, fc, Children.of(() -> {
                    List<Child> out = new ArrayList<>();
                    for (Member m : shownMembers) {
                        RequestDeadline.doingNow("reading member '" + m.name() + "' of '" + en + "'");
                        String name = m.inheritance() ? "<" + m.name() + ">" : m.name() == null ? "<anonymous>" : tupleField(t, m.name());
                        out.add(new Child(name, Children.safe(() -> values.member(shown, m), m.type()),
                                m.inheritance() || m.name() == null ? en : "(" + en + ")." + name));
                    }
                    return out;
                })));
            }
            case ARRAY: {
                long n = values.length(value);
                counts[0] = (int) Math.min(Integer.MAX_VALUE, n); // DAP counts are ints: 2^60 elements show 2^31 - 1
                return n == 0 ? 0 : register(new Container(owner, fc, new Children.ArrayElements(values, value, en, counts[0])));
            }
            case POINTER, REFERENCE: {
                Type target = t.target() == null ? Type.VOID : t.target().strip();
                if (target.kind() == Type.Kind.VOID || target.kind() == Type.Kind.FUNCTION
                        || t.kind() == Type.Kind.POINTER && (value.asLong() == 0 || target.kind() == Type.Kind.CHAR)) {
                    return 0;
                }
                counts[1] = 1;
                return register(new Container(owner, fc, Children.of(() ->
                        List.of(new Child(t.kind() == Type.Kind.REFERENCE ? en : "*" + en, Children.safe(() -> values.dereference(value), t.target()),
                                "*(" + en + ")")))));
            }
            default:
                return 0;
        }
    }

    CompletableFuture<EvaluateResponse> evaluate(ProgramState process, SharedLibraries libs, EvaluateArguments args, Executor work) {
        Expression e;
        try {
            e = Expression.parse(args.getExpression());
        } catch (ValueException ex) {
            return RequestErrors.failed(ex.getMessage());
        }
        String context = args.getContext() == null ? "repl" : args.getContext();
        boolean readOnly = context.equals("watch") || context.equals("hover") || context.equals("variables");
        if (readOnly && e.hasSideEffects()) {
            return RequestErrors.failed("assignments are not evaluated in " + context + " (no side effects there); use the debug console");
        }
        // Refused where no call may run; decided when evaluated, since v.size() may be answered by a
        // library formatter without one.
        String noCalls = context.equals("hover") || context.equals("variables")
                ? "function calls are not made in " + context + " (a call runs the program's code and can change it);"
                        + " evaluate it in the watch or the debug console"
                : args.getFrameId() == null ? "a function call runs in a stopped thread: pause one and evaluate in one of its frames"
                : null;
        if (noCalls != null && e.callsFunctions()) {
            return RequestErrors.failed(noCalls);
        }
        boolean hex = args.getFormat() != null && Boolean.TRUE.equals(args.getFormat().getHex());
        CompletableFuture<FrameContext> frame;
        ThreadReferences.Owner owner;
        if (args.getFrameId() != null) {
            frame = frame(process, args.getFrameId());
            owner = owner(args.getFrameId());
        } else {
            // No frame: globals only, which works while every thread runs.
            List<LoadedModule> modules = libs == null ? List.of() : libs.modules();
            if (modules.isEmpty()) {
                return RequestErrors.failed("the program's modules are still being read; try again");
            }
            frame = CompletableFuture.completedFuture(FrameContext.globalsOnly(DeadlineMemory.of(process.memory()), modules.get(0))
                    .inProcess(modules, java.util.OptionalLong.empty()));
            owner = references.owner(-1);
        }
        return frame.thenApplyAsync(fc -> {
            RequestDeadline.doingNow("evaluating '" + args.getExpression() + "'");
            Value v;
            try {
                // Calls (watch, repl) run in the frame's thread; the code they run may change the program.
                FunctionCalls through = noCalls != null ? FunctionCalls.refused(noCalls)
                        : !(process instanceof TracedProcess live) ? FunctionCalls.refused("the program is not running (core file): functions cannot be called")
                        : new ProgramCalls(live, owner.tid(), libs == null ? List.of() : libs.modules(), fc);
                v = readOnly ? e.evaluateReadOnly(fc, through) : e.evaluate(fc, through);
            } catch (ValueException ex) {
                throw RequestErrors.error(ex.getMessage());
            }
            RequestDeadline.doingNow("formatting '" + args.getExpression() + "'");
            Values values = new Values(fc);
            ValueFormatter f = new ValueFormatter(values, hex);
            EvaluateResponse r = new EvaluateResponse();
            r.setResult(context.equals("clipboard") || context.equals("repl") ? f.formatTop(v) : f.format(v));
            r.setType(v.type().name());
            int[] counts = new int[2];
            r.setVariablesReference(childrenOf(owner, fc, values, new Child(args.getExpression(), v, args.getExpression()), counts));
            if (counts[0] > 0) {
                r.setIndexedVariables(counts[0]);
            }
            if (counts[1] > 0) {
                r.setNamedVariables(counts[1]);
            }
            if (v.hasAddress()) {
                r.setMemoryReference(MemoryRequests.hex(v.address()));
            }
            return r;
        }, work);
    }

    CompletableFuture<SetVariableResponse> setVariable(ProgramState process, SetVariableArguments args, Executor work) {
        Container c = container(args.getVariablesReference());
        if (c == null) {
            return RequestErrors.failed(noContainer(args.getVariablesReference(), "unknown variablesReference " + args.getVariablesReference()));
        }
        boolean hex = args.getFormat() != null && Boolean.TRUE.equals(args.getFormat().getHex());
        return check(process, c).thenApplyAsync(ok -> {
            RequestDeadline.doingNow("setting '" + args.getName() + "'");
            Child child = c.children().named(args.getName())
                    .orElseThrow(() -> RequestErrors.error("no variable '" + args.getName() + "' here"));
            Value v = assign(c.frame(), child.evaluateName(), args.getValue());
            SetVariableResponse r = new SetVariableResponse();
            r.setValue(new ValueFormatter(new Values(c.frame()), hex).format(v));
            r.setType(v.type().name());
            return r;
        }, work);
    }

    CompletableFuture<SetExpressionResponse> setExpression(ProgramState process, SetExpressionArguments args, Executor work) {
        if (args.getFrameId() == null) {
            return RequestErrors.failed("setExpression needs a frameId");
        }
        boolean hex = args.getFormat() != null && Boolean.TRUE.equals(args.getFormat().getHex());
        return frame(process, args.getFrameId()).thenApplyAsync(fc -> {
            RequestDeadline.doingNow("setting '" + args.getExpression() + "'");
            Value v = assign(fc, args.getExpression(), args.getValue());
            SetExpressionResponse r = new SetExpressionResponse();
            r.setValue(new ValueFormatter(new Values(fc), hex).format(v));
            r.setType(v.type().name());
            return r;
        }, work);
    }

    private static Value assign(FrameContext fc, String target, String value) {
        try {
            Expression.parse(value); // a bad value is reported as such, not as part of the assignment
            return Expression.parse("(" + target + ") = (" + value + ")").evaluate(fc);
        } catch (ValueException ex) {
            throw RequestErrors.error("cannot set " + target + " to " + value + ": " + ex.getMessage());
        }
    }

    /** A standard-library object's view, or empty (not one, or one too corrupt to show children: its error is its value). */
    private static Optional<StlView> library(Values values, Value value) {
        try {
            return StlFormatters.viewOrRaw(values, value);
        } catch (ValueException e) {
            return Optional.empty();
        }
    }
}
