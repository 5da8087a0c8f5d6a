package dev.quiesce.dap;

import dev.quiesce.debugger.watch.DataBreakpoint;
import dev.quiesce.debugger.watch.DataBreakpoints;
import dev.quiesce.engine.ProgramState;
import dev.quiesce.engine.TracedProcess;
import dev.quiesce.values.FrameContext;
import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import dev.quiesce.values.ValueException;
import dev.quiesce.values.expr.Expression;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.eclipse.lsp4j.debug.Breakpoint;
import org.eclipse.lsp4j.debug.DataBreakpointAccessType;
import org.eclipse.lsp4j.debug.DataBreakpointInfoArguments;
import org.eclipse.lsp4j.debug.DataBreakpointInfoResponse;
import org.eclipse.lsp4j.debug.SetDataBreakpointsArguments;
import org.eclipse.lsp4j.debug.SetDataBreakpointsResponse;

/**
 * dataBreakpointInfo and setDataBreakpoints over the session's {@link DataBreakpoints}. A dataId
 * names bytes of the program ("0x601040/4"), and for a local also its thread and frame
 * ("0x7ffe...c/4@1234:0x7ffe...0"): the watch on it ends when that frame returns.
 */
final class DataBreakpointRequests {
    /** What a dataId stands for, as dataBreakpointInfo found it. */
    private record Target(String name, long address, int length, Function<byte[], String> format, long cfa, long returnAddress, int tid) {
    }

    private final DataBreakpoints watches = new DataBreakpoints();
    private final Map<String, Target> targets = new ConcurrentHashMap<>();

    DataBreakpoints watches() {
        return watches;
    }

    CompletableFuture<DataBreakpointInfoResponse> info(ProgramState process, VariableRequests variables, DataBreakpointInfoArguments args, Executor work) {
        String name = args.getName();
        if (name == null || name.isBlank()) {
            return RequestErrors.failed("dataBreakpointInfo needs a name (a variable's, or an expression)");
        }
        if (!(process instanceof TracedProcess live)) {
            return CompletableFuture.completedFuture(unavailable("data breakpoints need a running program"));
        }
        if (Boolean.TRUE.equals(args.getAsAddress())) {
            return CompletableFuture.supplyAsync(() -> {
                long address;
                try {
                    address = Long.decode(name.trim());
                } catch (NumberFormatException e) {
                    throw RequestErrors.error("'" + name + "' is not an address (write 0x601040 or a decimal number)");
                }
                int bytes = args.getBytes() == null ? 1 : args.getBytes();
                return answer(new Target(String.format("0x%x", address), address, bytes, DataBreakpointRequests::hexBytes, 0, 0, -1));
            }, work);
        }
        CompletableFuture<VariableRequests.Named> found;
        if (args.getVariablesReference() != null && args.getVariablesReference() > 0) {
            found = variables.named(process, args.getVariablesReference(), name, work);
        } else if (args.getFrameId() != null) {
            int tid = variables.frameThread(args.getFrameId());
            found = variables.frame(process, args.getFrameId()).thenApplyAsync(fc -> {
                try {
                    return new VariableRequests.Named(tid, fc, Expression.parse(name).evaluateReadOnly(fc));
                } catch (ValueException e) {
                    throw RequestErrors.error(e.getMessage());
                }
            }, work);
        } else {
            return RequestErrors.failed("dataBreakpointInfo for '" + name + "' needs a variablesReference or a frameId (or asAddress)");
        }
        return found.thenApply(n -> {
            Value v = n.value();
            if (!v.hasAddress()) {
                return unavailable("'" + name + "' is not in memory (a register or a computed value): it cannot be watched");
            }
            long size = v.type().size();
            if (size <= 0 || size > 1 << 20) {
                return unavailable("'" + name + "' has no size to watch");
            }
            long cfa = 0;
            long ret = 0;
            if (n.frame().hasFrame() && isLocal(n.frame(), v.address())) {
                cfa = n.frame().frame().cfa();
                ret = live.memory().readLong(cfa - 8); // x86-64: the return address sits just below the CFA
            }
            return answer(new Target(name, v.address(), (int) size, formatOf(v.type()), cfa, ret, n.tid()));
        });
    }

    /** On the frame's stack: below its CFA, at or above its stack pointer less the red zone (a leaf keeps locals there). */
    private static boolean isLocal(FrameContext fc, long address) {
        long sp = fc.registers().has(dev.quiesce.symbols.unwind.Dwarf86Registers.RSP) ? fc.registers().sp() - 128 : fc.frame().cfa() - (1 << 20);
        return Long.compareUnsigned(address, sp) >= 0 && Long.compareUnsigned(address, fc.frame().cfa()) < 0;
    }

    private DataBreakpointInfoResponse answer(Target t) {
        String id = String.format("0x%x/%d", t.address(), t.length()) + (t.cfa() != 0 ? String.format("@%d:0x%x", t.tid(), t.cfa()) : "");
        targets.put(id, t);
        DataBreakpointInfoResponse r = new DataBreakpointInfoResponse();
        r.setDataId(id);
        r.setDescription(t.name() + " (" + t.length() + (t.length() == 1 ? " byte" : " bytes") + String.format(" at 0x%x)", t.address())
                + (t.cfa() != 0 ? ", until its frame returns" : ""));
        // Software: reads are seen by page protection, which stack ranges (locals) cannot use.
        r.setAccessTypes(DataBreakpoints.hardwareAvailable() || t.cfa() == 0
                ? new DataBreakpointAccessType[] {DataBreakpointAccessType.WRITE, DataBreakpointAccessType.READ, DataBreakpointAccessType.READ_WRITE}
                : new DataBreakpointAccessType[] {DataBreakpointAccessType.WRITE});
        r.setCanPersist(t.cfa() == 0);
        return r;
    }

    private static DataBreakpointInfoResponse unavailable(String why) {
        DataBreakpointInfoResponse r = new DataBreakpointInfoResponse();
        r.setDescription(why);
        return r;
    }

    SetDataBreakpointsResponse set(SetDataBreakpointsArguments args) {
        org.eclipse.lsp4j.debug.DataBreakpoint[] given = args.getBreakpoints() == null ? new org.eclipse.lsp4j.debug.DataBreakpoint[0] : args.getBreakpoints();
        Breakpoint[] out = new Breakpoint[given.length];
        List<DataBreakpoint.Spec> specs = new ArrayList<>();
        List<Integer> slot = new ArrayList<>();
        for (int i = 0; i < given.length; i++) {
            org.eclipse.lsp4j.debug.DataBreakpoint b = given[i];
            Target t = b.getDataId() == null ? null : targets.get(b.getDataId());
            if (t == null) {
                t = parseGlobal(b.getDataId());
            }
            if (t == null) {
                out[i] = refused("unknown dataId " + b.getDataId() + ": ask dataBreakpointInfo for one");
                continue;
            }
            try {
                if (b.getHitCondition() != null && !b.getHitCondition().isBlank()) {
                    dev.quiesce.debugger.HitCondition.parse(b.getHitCondition());
                }
            } catch (IllegalArgumentException e) {
                out[i] = refused(e.getMessage());
                continue;
            }
            DataBreakpoint.Access access = b.getAccessType() == null || b.getAccessType() == DataBreakpointAccessType.WRITE ? DataBreakpoint.Access.WRITE
                    : b.getAccessType() == DataBreakpointAccessType.READ ? DataBreakpoint.Access.READ : DataBreakpoint.Access.READ_WRITE;
            specs.add(new DataBreakpoint.Spec(t.name(), t.address(), t.length(), access, blankless(b.getCondition()), blankless(b.getHitCondition()),
                    t.format(), t.cfa(), t.returnAddress(), t.tid()));
            slot.add(i);
        }
        List<DataBreakpoints.Outcome> outcomes = watches.set(specs);
        for (int k = 0; k < outcomes.size(); k++) {
            DataBreakpoints.Outcome o = outcomes.get(k);
            Breakpoint bp = new Breakpoint();
            o.breakpoint().ifPresent(d -> {
                bp.setId(d.id());
                bp.setVerified(true);
                bp.setMessage(d.spec().name() + " (" + watches.how() + ")");
            });
            o.problem().ifPresent(p -> {
                bp.setVerified(false);
                bp.setMessage(p);
            });
            out[slot.get(k)] = bp;
        }
        SetDataBreakpointsResponse r = new SetDataBreakpointsResponse();
        r.setBreakpoints(out);
        return r;
    }

    private static Optional<String> blankless(String s) {
        return s == null || s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    private static Breakpoint refused(String why) {
        Breakpoint bp = new Breakpoint();
        bp.setVerified(false);
        bp.setMessage(why);
        return bp;
    }

    /** A persisted dataId of static storage ("0x601040/4"), from an earlier session. */
    private static Target parseGlobal(String id) {
        if (id == null || !id.matches("0x[0-9a-fA-F]+/\\d+")) {
            return null;
        }
        String[] p = id.split("/");
        return new Target(p[0], Long.parseUnsignedLong(p[0].substring(2), 16), Integer.parseInt(p[1]), DataBreakpointRequests::hexBytes, 0, 0, -1);
    }

    /** The watched bytes as the value's type reads: integers signed or not, floating point, pointers in hex. */
    static Function<byte[], String> formatOf(Type type) {
        Type t = type.strip();
        int n = (int) t.size();
        return switch (t.kind()) {
            case INT, CHAR, BOOL, ENUM -> bytes -> {
                long v = little(bytes);
                if (t.signed() && n < 8) {
                    v = v << (64 - 8 * n) >> (64 - 8 * n);
                }
                return t.signed() || n < 8 ? Long.toString(v) : Long.toUnsignedString(v);
            };
            case FLOAT -> n == 4 ? bytes -> Float.toString(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getFloat())
                    : n == 8 ? bytes -> Double.toString(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getDouble())
                    : DataBreakpointRequests::hexBytes;
            case POINTER -> bytes -> "0x" + Long.toHexString(little(bytes));
            default -> DataBreakpointRequests::hexBytes;
        };
    }

    private static long little(byte[] bytes) {
        long v = 0;
        for (int i = Math.min(8, bytes.length) - 1; i >= 0; i--) {
            v = v << 8 | (bytes[i] & 0xff);
        }
        return v;
    }

    private static String hexBytes(byte[] bytes) {
        StringBuilder s = new StringBuilder("{");
        for (int i = 0; i < bytes.length; i++) {
            s.append(i == 0 ? "" : " ").append(String.format("0x%02x", bytes[i] & 0xff));
        }
        return s.append("}").toString();
    }
}
