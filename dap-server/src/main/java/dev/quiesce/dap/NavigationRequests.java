package dev.quiesce.dap;

import dev.quiesce.debugger.CallsOnLine;
import dev.quiesce.debugger.Goto;
import dev.quiesce.debugger.Stepping;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.ModuleSymbols;
import dev.quiesce.symbols.solib.SharedLibraries;
import dev.quiesce.engine.TracedProcess;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.debug.GotoTarget;
import org.eclipse.lsp4j.debug.GotoTargetsArguments;
import org.eclipse.lsp4j.debug.GotoTargetsResponse;
import org.eclipse.lsp4j.debug.StepInTarget;
import org.eclipse.lsp4j.debug.StepInTargetsArguments;
import org.eclipse.lsp4j.debug.StepInTargetsResponse;

/**
 * gotoTargets and goto (move a stopped thread's pc to another line of its function), and
 * stepInTargets with the targetId of stepIn (step into one chosen call of the line). Target ids
 * are unique in the session; a goto target is an address, a step-in target a call instruction
 * of one thread's line.
 */
final class NavigationRequests {
    private record StepInChoice(int threadId, long callAddress) {
    }

    private final StackTraces stackTraces;
    private final AtomicInteger ids = new AtomicInteger(1);
    private final Map<Integer, Long> gotoTargets = new ConcurrentHashMap<>();
    private final Map<Integer, StepInChoice> stepInTargets = new ConcurrentHashMap<>();

    NavigationRequests(StackTraces stackTraces) {
        this.stackTraces = stackTraces;
    }

    /** The statements of that line (the first line with code at or after it) in the loaded modules, one target per address. */
    GotoTargetsResponse gotoTargets(List<LoadedModule> modules, GotoTargetsArguments args) {
        if (args.getSource() == null || args.getSource().getPath() == null) {
            throw RequestErrors.error("gotoTargets needs source.path and line");
        }
        String path = args.getSource().getPath();
        List<GotoTarget> out = new ArrayList<>();
        for (LoadedModule m : modules) {
            ModuleSymbols symbols = ModuleSymbols.of(m.elf());
            Optional<ModuleSymbols.LineAddresses> found = symbols.addressesForLine(path, args.getLine());
            if (found.isEmpty()) {
                found = symbols.addressesForLine(baseName(path), args.getLine());
            }
            if (found.isEmpty()) {
                continue;
            }
            for (long link : found.get().addresses()) {
                long address = m.toRuntime(link);
                int id = ids.getAndIncrement();
                gotoTargets.put(id, address);
                GotoTarget t = new GotoTarget();
                t.setId(id);
                String function = symbols.functionAt(link).map(f -> f.qualifiedName() != null ? f.qualifiedName() : f.name()).orElse("?");
                t.setLabel("line " + found.get().line() + " in " + function);
                t.setLine(found.get().line());
                t.setInstructionPointerReference(MemoryRequests.hex(address));
                out.add(t);
            }
        }
        if (out.isEmpty()) {
            throw RequestErrors.error("no code at or after line " + args.getLine() + " of " + baseName(path) + " in the loaded modules");
        }
        GotoTargetsResponse r = new GotoTargetsResponse();
        r.setTargets(out.toArray(new GotoTarget[0]));
        return r;
    }

    /** Moves the thread's pc to the target; refused (with the reason) outside its function. */
    CompletableFuture<Void> jump(TracedProcess process, SharedLibraries libraries, int threadId, int targetId) {
        Long address = gotoTargets.get(targetId);
        if (address == null) {
            return RequestErrors.failed("unknown goto target " + targetId + " (ask gotoTargets for the line's targets)");
        }
        return Goto.jump(process, libraries, threadId, address).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
            return cause instanceof IllegalArgumentException ? RequestErrors.failed(cause.getMessage()) : CompletableFuture.failedFuture(cause);
        });
    }

    /** The calls of the frame's line still ahead of its pc, in the order they run; the top frame only. */
    CompletableFuture<StepInTargetsResponse> stepInTargets(TracedProcess process, SharedLibraries libraries, StepInTargetsArguments args) {
        StackTraces.FrameRef ref = stackTraces.frame(args.getFrameId()).orElse(null);
        if (ref == null) {
            return RequestErrors.failed("unknown frame id " + args.getFrameId() + " (ask stackTrace for the current frames)");
        }
        if (ref.frame().level() != 0) {
            return RequestErrors.failed("step-in targets are for the thread's top frame: a step starts where the thread is");
        }
        int tid = ref.threadId();
        return process.isStopped(tid).thenApply(stopped -> {
            if (!stopped) {
                throw RequestErrors.error("thread " + tid + " is running: pause it to see the calls of its line");
            }
            List<StepInTarget> out = new ArrayList<>();
            for (CallsOnLine.Call call : CallsOnLine.at(process, libraries, ref.frame().pc())) {
                int id = ids.getAndIncrement();
                stepInTargets.put(id, new StepInChoice(tid, call.address()));
                StepInTarget t = new StepInTarget();
                t.setId(id);
                t.setLabel(call.name());
                ref.frame().source().ifPresent(p -> t.setLine(p.line()));
                out.add(t);
            }
            StepInTargetsResponse r = new StepInTargetsResponse();
            r.setTargets(out.toArray(new StepInTarget[0]));
            return r;
        });
    }

    /** stepIn with a targetId: into that call. */
    CompletableFuture<Void> stepInto(Stepping stepping, int threadId, int targetId) {
        StepInChoice choice = stepInTargets.get(targetId);
        if (choice == null || choice.threadId() != threadId) {
            return RequestErrors.failed("unknown step-in target " + targetId + " for thread " + threadId + " (ask stepInTargets for its line's calls)");
        }
        return stepping.stepInto(threadId, choice.callAddress());
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
