package dev.quiesce.debugger;

import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.Registers;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Memory;
import dev.quiesce.values.ValueFormatter;
import dev.quiesce.values.Values;
import dev.quiesce.values.expr.Expression;
import dev.quiesce.values.expr.ExpressionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Breakpoint conditions and logpoint templates ({@code "x = {p.x}"}) through the C expression
 * evaluator: each text is parsed once, then evaluated at each hit in the stopped thread's
 * innermost frame, reading only the registers the hit already fetched and the memory the
 * expression touches. A condition that cannot be evaluated at a hit stops (as gdb does), so a
 * mistake is seen rather than silently skipped.
 */
public final class ExpressionConditions implements UserBreakpoints.Conditions {
    private final Supplier<StackWalker> walker;
    private final Supplier<List<LoadedModule>> modules;
    private final Map<String, Expression> parsed = new ConcurrentHashMap<>();

    /** Names in the frame's module only (no thread-locals). */
    public ExpressionConditions(Supplier<StackWalker> walker) {
        this(walker, List::of);
    }

    /**
     * Names as the watch resolves them: the frame's module first, then every loaded module
     * ({@code modules}, link-map order), and thread-locals of the stopped thread (its fs_base
     * is in the hit's registers).
     */
    public ExpressionConditions(Supplier<StackWalker> walker, Supplier<List<LoadedModule>> modules) {
        this.walker = walker;
        this.modules = modules;
    }

    @Override
    public Optional<String> check(UserBreakpoint.Spec spec) {
        try {
            spec.condition().ifPresent(this::expression);
            spec.logMessage().ifPresent(this::template);
            if (spec.condition().map(t -> expression(t).callsFunctions()).orElse(false)) {
                // A condition is evaluated on the tracer thread at the hit; a call would have to run
                // the very thread being decided about from there. Not supported: said so at once.
                return Optional.of("condition \"" + spec.condition().get() + "\" calls a function: calls into the program"
                        + " are not made in breakpoint conditions (use the watch or the debug console)");
            }
            if (spec.condition().map(t -> expression(t).hasSideEffects()).orElse(false)) {
                return Optional.of("condition \"" + spec.condition().get() + "\" would change the program (an assignment): "
                        + "use == to compare");
            }
            return Optional.empty();
        } catch (ExpressionException e) {
            return Optional.of((spec.condition().isPresent() ? "condition" : "log message") + ": " + e.getMessage());
        }
    }

    @Override
    public boolean holds(TracedProcess process, int tid, Registers registers, UserBreakpoint breakpoint) {
        try {
            return expression(breakpoint.spec().condition().get()).isTrue(frame(process, registers));
        } catch (RuntimeException e) { // ExpressionException, ValueException, unreadable memory
            return true;
        }
    }

    /** A condition's text, for a stopped thread (data breakpoints); true where it cannot be evaluated, as for breakpoints. */
    public boolean holds(TracedProcess process, Registers registers, String condition) {
        try {
            return expression(condition).isTrue(frame(process, registers));
        } catch (RuntimeException e) { // ExpressionException, ValueException, unreadable memory
            return true;
        }
    }

    @Override
    public String logMessage(TracedProcess process, int tid, Registers registers, UserBreakpoint breakpoint) {
        StringBuilder out = new StringBuilder();
        FrameContext frame = null;
        for (Object part : template(breakpoint.spec().logMessage().get())) {
            if (part instanceof String text) {
                out.append(text);
                continue;
            }
            try {
                if (frame == null) {
                    frame = frame(process, registers);
                }
                ValueFormatter formatter = new ValueFormatter(new Values(frame), false);
                out.append(formatter.formatTop(((Expression) part).evaluateReadOnly(frame)));
            } catch (RuntimeException e) { // ExpressionException, ValueException, unreadable memory
                out.append("<").append(e.getMessage()).append(">");
            }
        }
        return out.toString();
    }

    private FrameContext frame(TracedProcess process, Registers registers) {
        FrameContext frame = FrameContext.of(Memory.of(process.memory()), walker.get().innermost(registers), null);
        List<LoadedModule> loaded = modules.get();
        return loaded == null || loaded.isEmpty() ? frame : frame.inProcess(loaded, OptionalLong.of(registers.fsBase()));
    }

    private Expression expression(String text) {
        return parsed.computeIfAbsent(text, Expression::parse);
    }

    /** Literal text and {expressions}; "{{" and "}}" are literal braces. */
    private List<Object> template(String text) {
        List<Object> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == '{' || c == '}') && i + 1 < text.length() && text.charAt(i + 1) == c) {
                literal.append(c);
                i++;
            } else if (c == '{') {
                int end = text.indexOf('}', i);
                if (end < 0) {
                    throw new ExpressionException("'{' at " + (i + 1) + " has no closing '}'");
                }
                parts.add(literal.toString());
                literal.setLength(0);
                parts.add(expression(text.substring(i + 1, end)));
                i = end;
            } else {
                literal.append(c);
            }
        }
        parts.add(literal.toString());
        return parts;
    }
}
