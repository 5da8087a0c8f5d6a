package dev.quiesce.dap;

import dev.quiesce.debugger.UserBreakpoint;
import dev.quiesce.debugger.UserBreakpoints;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.BreakpointEventArgumentsReason;
import org.eclipse.lsp4j.debug.BreakpointLocation;
import org.eclipse.lsp4j.debug.BreakpointLocationsArguments;
import org.eclipse.lsp4j.debug.BreakpointLocationsResponse;
import org.eclipse.lsp4j.debug.FunctionBreakpoint;
import org.eclipse.lsp4j.debug.InstructionBreakpoint;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArgumentsCategory;
import org.eclipse.lsp4j.debug.SetBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetFunctionBreakpointsResponse;
import org.eclipse.lsp4j.debug.SetInstructionBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetInstructionBreakpointsResponse;
import org.eclipse.lsp4j.debug.SourceBreakpoint;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

/**
 * The breakpoint requests (setBreakpoints, setFunctionBreakpoints, setInstructionBreakpoints,
 * breakpointLocations) over the session's {@link UserBreakpoints}, and the events they cause:
 * {@code breakpoint} (changed) when a library brings or takes a breakpoint's code, {@code output}
 * for logpoints. Requests may come before the program runs: breakpoints wait, unverified.
 */
final class BreakpointRequests implements UserBreakpoints.Listener {
    private final IDebugProtocolClient client;
    private final java.util.concurrent.Executor events;
    private final UserBreakpoints breakpoints = new UserBreakpoints(this);
    private final dev.quiesce.debugger.exceptions.ExceptionBreakpoints cxxExceptions = new dev.quiesce.debugger.exceptions.ExceptionBreakpoints();
    private final DataBreakpointRequests dataBreakpoints = new DataBreakpointRequests();
    private final Supplier<List<LoadedModule>> modules;
    private final SourceMap sourceMap;

    BreakpointRequests(IDebugProtocolClient client, java.util.concurrent.Executor events, Supplier<List<LoadedModule>> modules,
            SourceMap sourceMap) {
        this.sourceMap = sourceMap;
        this.client = client;
        this.events = events;
        this.modules = modules;
    }

    UserBreakpoints breakpoints() {
        return breakpoints;
    }

    /** dataBreakpointInfo and setDataBreakpoints. */
    DataBreakpointRequests dataBreakpoints() {
        return dataBreakpoints;
    }

    /** The cpp_throw / cpp_catch exception filters' breakpoints. */
    dev.quiesce.debugger.exceptions.ExceptionBreakpoints cxxExceptions() {
        return cxxExceptions;
    }

    /** Binds every breakpoint family to the process (launched, attached, restarted). */
    void bind(dev.quiesce.engine.TracedProcess p) {
        breakpoints.bind(p);
        cxxExceptions.bind(p);
        dataBreakpoints.watches().bind(p);
    }

    void modulesChanged(List<LoadedModule> now) {
        breakpoints.modulesChanged(now);
        cxxExceptions.modulesChanged(now);
    }

    SetBreakpointsResponse setBreakpoints(SetBreakpointsArguments args) {
        if (args.getSource() == null || args.getSource().getPath() == null) {
            throw new IllegalArgumentException("setBreakpoints needs source.path: breakpoints go in files by path");
        }
        String path = sourceMap.toBuild(args.getSource().getPath());
        List<UserBreakpoint.Spec> specs = new ArrayList<>();
        SourceBreakpoint[] given = args.getBreakpoints();
        if (given == null && args.getLines() != null) { // the deprecated form: lines only
            given = java.util.Arrays.stream(args.getLines()).mapToObj(l -> {
                SourceBreakpoint b = new SourceBreakpoint();
                b.setLine(l);
                return b;
            }).toArray(SourceBreakpoint[]::new);
        }
        for (SourceBreakpoint b : given == null ? new SourceBreakpoint[0] : given) {
            if (b.getLine() <= 0) {
                throw new IllegalArgumentException("breakpoint line " + b.getLine() + " in " + path + ": lines start at 1");
            }
            specs.add(UserBreakpoint.Spec.line(path, b.getLine()).with(Optional.ofNullable(b.getCondition()),
                    Optional.ofNullable(b.getHitCondition()), Optional.ofNullable(b.getLogMessage())));
        }
        SetBreakpointsResponse response = new SetBreakpointsResponse();
        response.setBreakpoints(describe(breakpoints.setSourceBreakpoints(path, specs)));
        return response;
    }

    SetFunctionBreakpointsResponse setFunctionBreakpoints(SetFunctionBreakpointsArguments args) {
        List<UserBreakpoint.Spec> specs = new ArrayList<>();
        for (FunctionBreakpoint b : args.getBreakpoints() == null ? new FunctionBreakpoint[0] : args.getBreakpoints()) {
            if (b.getName() == null || b.getName().isBlank()) {
                throw new IllegalArgumentException("a function breakpoint needs a name");
            }
            specs.add(new UserBreakpoint.Spec(UserBreakpoint.Kind.FUNCTION, null, 0, b.getName().trim(), 0,
                    Optional.empty(), Optional.empty(), Optional.empty())
                    .with(Optional.ofNullable(b.getCondition()), Optional.ofNullable(b.getHitCondition()), Optional.empty()));
        }
        SetFunctionBreakpointsResponse response = new SetFunctionBreakpointsResponse();
        response.setBreakpoints(describe(breakpoints.setFunctionBreakpoints(specs)));
        return response;
    }

    SetInstructionBreakpointsResponse setInstructionBreakpoints(SetInstructionBreakpointsArguments args) {
        List<UserBreakpoint.Spec> specs = new ArrayList<>();
        for (InstructionBreakpoint b : args.getBreakpoints() == null ? new InstructionBreakpoint[0] : args.getBreakpoints()) {
            long address = MemoryRequests.address(b.getInstructionReference(),
                    b.getOffset() == null ? null : (long) b.getOffset());
            specs.add(new UserBreakpoint.Spec(UserBreakpoint.Kind.INSTRUCTION, null, 0, null, address,
                    Optional.empty(), Optional.empty(), Optional.empty())
                    .with(Optional.ofNullable(b.getCondition()), Optional.ofNullable(b.getHitCondition()), Optional.empty()));
        }
        SetInstructionBreakpointsResponse response = new SetInstructionBreakpointsResponse();
        response.setBreakpoints(describe(breakpoints.setInstructionBreakpoints(specs)));
        return response;
    }

    /** The lines in [line, endLine] of a source where a breakpoint would be set exactly. */
    BreakpointLocationsResponse breakpointLocations(BreakpointLocationsArguments args) {
        if (args.getSource() == null || args.getSource().getPath() == null) {
            throw new IllegalArgumentException("breakpointLocations needs source.path");
        }
        String path = sourceMap.toBuild(args.getSource().getPath());
        int from = args.getLine();
        int to = args.getEndLine() == null ? from : args.getEndLine();
        TreeSet<Integer> lines = new TreeSet<>();
        for (String query : new String[] {path, path.substring(path.lastIndexOf('/') + 1)}) {
            for (LoadedModule m : modules.get()) {
                lines.addAll(ModuleSymbols.of(m.elf()).linesWithCode(query, from, to));
            }
            if (!lines.isEmpty()) {
                break;
            }
        }
        BreakpointLocationsResponse response = new BreakpointLocationsResponse();
        response.setBreakpoints(lines.stream().map(l -> {
            BreakpointLocation loc = new BreakpointLocation();
            loc.setLine(l);
            return loc;
        }).toArray(BreakpointLocation[]::new));
        return response;
    }

    private Breakpoint[] describe(List<UserBreakpoint> list) {
        return list.stream().map(this::describe).toArray(Breakpoint[]::new);
    }

    private Breakpoint describe(UserBreakpoint bp) {
        Breakpoint d = new Breakpoint();
        d.setId(bp.id());
        d.setVerified(bp.verified());
        bp.message().ifPresent(d::setMessage);
        if (bp.line() > 0) {
            d.setLine(bp.line());
        }
        bp.source().ifPresent(p -> d.setSource(StackTraces.source(sourceMap.toLocal(p))));
        if (!bp.addresses().isEmpty()) {
            d.setInstructionReference(MemoryRequests.hex(bp.addresses().get(0)));
        }
        if (!bp.verified()) {
            d.setReason(bp.message().map(m -> m.contains("will be set") ? org.eclipse.lsp4j.debug.BreakpointNotVerifiedReason.PENDING
                    : org.eclipse.lsp4j.debug.BreakpointNotVerifiedReason.FAILED).orElse(org.eclipse.lsp4j.debug.BreakpointNotVerifiedReason.PENDING));
        }
        return d;
    }

    @Override
    public void changed(UserBreakpoint breakpoint) {
        BreakpointEventArguments e = new BreakpointEventArguments();
        e.setReason(BreakpointEventArgumentsReason.CHANGED);
        e.setBreakpoint(describe(breakpoint));
        events.execute(() -> client.breakpoint(e));
    }

    @Override
    public void logged(int tid, UserBreakpoint breakpoint, String text) {
        OutputEventArguments out = new OutputEventArguments();
        out.setCategory(OutputEventArgumentsCategory.CONSOLE);
        out.setOutput(text.endsWith("\n") ? text : text + "\n");
        breakpoint.source().ifPresent(p -> out.setSource(StackTraces.source(sourceMap.toLocal(p))));
        if (breakpoint.line() > 0) {
            out.setLine(breakpoint.line());
        }
        events.execute(() -> client.output(out));
    }
}
