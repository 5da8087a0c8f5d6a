package dev.quiesce.values.call;

import dev.quiesce.engine.CallOutcome;
import dev.quiesce.engine.ThreadCall;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.linux.Signal;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls into the program from one stopped thread, for the frame an expression is evaluated in:
 * the call itself runs from the thread's real registers (frame 0), whichever frame is selected.
 * The return address is the program's ELF entry point ({@code _start}: no thread runs it again
 * once the program has started), where the call's own breakpoint waits.
 *
 * <p>Threads: blocks the calling thread (a request's worker) until the call ends; never call it
 * on the tracer thread.
 */
public final class ProgramCalls implements FunctionCalls {
    /** A callee that has not returned by then is interrupted and the call abandoned (gdb waits forever). */
    public static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    /** How much longer than the timeout the abandoning itself may take before we give up waiting. */
    private static final Duration ABANDON_GRACE = Duration.ofSeconds(5);

    private final TracedProcess process;
    private final int tid;
    private final List<LoadedModule> modules;
    private final FrameContext frame;

    public ProgramCalls(TracedProcess process, int tid, List<LoadedModule> modules, FrameContext frame) {
        this.process = process;
        this.tid = tid;
        this.modules = List.copyOf(modules);
        this.frame = frame;
    }

    @Override
    public Optional<CallTarget> function(String name) {
        return FunctionLookup.find(name, modules, frame);
    }

    @Override
    public List<CallTarget> functions(String name) {
        return FunctionLookup.findAll(name, modules, frame);
    }

    @Override
    public Optional<CallTarget> method(Value object, String name, int argumentCount) {
        return new MethodLookup(frame, modules).find(object, name, argumentCount);
    }

    @Override
    public List<CallTarget> methods(Value object, String name) {
        return new MethodLookup(frame, modules).all(object, name);
    }

    @Override
    public Value call(CallTarget target, Type returnType, List<Value> arguments) {
        if (target.resolver()) {
            // An IFUNC symbol's address is its resolver's: it returns the implementation chosen for this CPU.
            Value chosen = call(new CallTarget(target.name() + " (IFUNC resolver)", target.address(), null, List.of(),
                    false, null, false), Type.pointerTo(Type.VOID), List.of());
            target = target.at(chosen.asLong());
        }
        refuseClone(target);
        List<Value> all = new ArrayList<>();
        if (target.self() != null) {
            all.add(target.self());
        }
        all.addAll(arguments);
        ThreadCall call = await(ThreadCall.prepare(process, tid), ABANDON_GRACE, target);
        SysVFrame built;
        try {
            built = SysVFrame.build(call.savedRegisters(), call.savedFpRegisters(), target.address(), returnAddress(),
                    returnType, all);
            for (SysVFrame.Write w : built.writes) {
                frame.memory().write(w.address(), w.bytes());
            }
        } catch (RuntimeException e) {
            call.cancel().join();
            throw e;
        }
        CallOutcome outcome = await(call.run(built.registers, built.fp, returnAddress(), CALL_TIMEOUT),
                CALL_TIMEOUT.plus(ABANDON_GRACE), target);
        if (outcome instanceof CallOutcome.Abandoned a) {
            throw new ValueException(abandoned(target, a));
        }
        CallOutcome.Returned r = (CallOutcome.Returned) outcome;
        SysVFrame.Result result = built.result;
        if (returnType.strip().kind() == Type.Kind.VOID) {
            return Value.of(Type.VOID, new byte[0]);
        }
        byte[] bytes = SysVFrame.resultBytes(result, r.registers(), r.fp());
        if (bytes == null) {
            // MEMORY class: the callee wrote the result into our buffer (its address is also in rax).
            return Value.inMemory(returnType, result.buffer(), frame.memory().read(result.buffer(), (int) returnType.size()));
        }
        return Value.of(returnType, bytes);
    }

    /**
     * gcc's IPA clones ({@code f.isra.0}, {@code f.constprop.0}, {@code f.part.0}) take other
     * arguments than the declaration says (a member instead of the object, a constant dropped):
     * called as declared they compute garbage (gdb 13 does call them), so they are refused.
     */
    private void refuseClone(CallTarget target) {
        String symbol = describe(target.address());
        int lt = symbol.indexOf('<');
        String name = lt < 0 ? "" : symbol.substring(lt + 1, symbol.length() - 1);
        if (name.matches(".*\\.(isra|constprop|part)\\.\\d+\\]?")) { // demangled: "f(int) [clone .isra.0]"
            throw new ValueException("'" + target.name() + "' has code only as the optimizer's clone " + name
                    + ", whose arguments differ from its declaration, so it cannot be called");
        }
    }

    private long returnAddress() {
        for (LoadedModule m : modules) {
            if (m.kind() == LoadedModule.Kind.PROGRAM) {
                return m.toRuntime(m.elf().entry());
            }
        }
        throw new ValueException("the program's module is not known yet, so there is no return address for a call");
    }

    private String abandoned(CallTarget target, CallOutcome.Abandoned a) {
        String where = " at " + describe(a.address());
        String what = switch (a.why()) {
            case BREAKPOINT -> "stopped at a breakpoint" + where;
            case SIGNAL -> "received signal " + Signal.nameOf(a.signal()) + where + " (the signal was discarded)";
            case TIMEOUT -> "did not return within " + CALL_TIMEOUT.toSeconds() + " s and was interrupted" + where;
            case EXITED -> "ended the thread (or the program)";
        };
        String after = a.why() == CallOutcome.Why.EXITED ? "; nothing could be restored"
                : "; the call was abandoned and the thread's registers restored to what they were before it"
                        + " (whatever the function changed in memory stays changed)";
        return "the function " + target.name() + "() called from the expression " + what + after;
    }

    private String describe(long address) {
        String hex = "0x" + Long.toHexString(address);
        for (LoadedModule m : modules) {
            if (m.contains(address)) {
                Optional<String> s = ModuleSymbols.of(m.elf()).symbolWithOffset(m.toLinkTime(address));
                if (s.isPresent()) {
                    return hex + " <" + s.get() + ">";
                }
            }
        }
        return hex;
    }

    private static <T> T await(CompletableFuture<T> f, Duration limit, CallTarget target) {
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new ValueException(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (TimeoutException e) {
            throw new ValueException("the call to " + target.name() + "() got no answer from the tracer within "
                    + limit.toSeconds() + " s; the thread's state is unknown");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ValueException("interrupted while calling " + target.name() + "()");
        }
    }
}
