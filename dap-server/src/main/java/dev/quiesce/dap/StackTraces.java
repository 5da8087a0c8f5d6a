package dev.quiesce.dap;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.debugger.StackWalker;
import dev.quiesce.engine.ProgramState;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.SourcePosition;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StackFramePresentationHint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;

/**
 * The {@code stackTrace} request: a stopped thread's frames (inlined functions as frames of
 * their own), paged with {@code startFrame}/{@code levels}, with {@code totalFrames}. Frame ids
 * are unique in the session and name (thread, frame) for the requests that take a frame, until
 * that thread resumes ({@link ThreadReferences}).
 */
final class StackTraces {
    private static final int MAX_PHYSICAL_FRAMES = 256;
    /** Frame ids and variablesReferences a thread's stop may hold before its oldest go. */
    static final int MAX_REFERENCES_PER_THREAD = 100_000;

    /** What a frame id stands for: a frame of one stop of a thread. */
    record FrameRef(ThreadReferences.Owner owner, StackFrame frame) {
        int threadId() {
            return owner.tid();
        }
    }

    /** Frame ids (and the Variables view's references, see {@link VariableRequests}), pooled per thread. */
    private final ThreadReferences references = new ThreadReferences(MAX_REFERENCES_PER_THREAD);
    private final SourceFiles sourceFiles = new SourceFiles();
    private final SourceMap sourceMap;
    private final LocalsPrefetch prefetch = new LocalsPrefetch();

    StackTraces(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    ThreadReferences references() {
        return references;
    }

    CompletableFuture<StackTraceResponse> stackTrace(ProgramState process, StackWalker walker, StackTraceArguments args) {
        int tid = args.getThreadId();
        ThreadReferences.Owner owner = references.owner(tid); // before the check: a resume after it releases these frames
        return process.isStopped(tid).thenCompose(stopped -> {
            if (!stopped) {
                return RequestErrors.failed("thread " + tid + " is running: pause it to see its stack");
            }
            return walker.backtrace(tid, MAX_PHYSICAL_FRAMES);
        }).thenApply(all -> {
            if (!all.isEmpty() && (args.getStartFrame() == null || args.getStartFrame() == 0)) {
                prefetch.topFrameListed(all.get(0)); // the scopes and Locals requests come next
            }
            return page(owner, all, args);
        });
    }

    /** The frame, while its thread has not resumed since it was listed. */
    Optional<FrameRef> frame(int id) {
        return references.get(id, FrameRef.class);
    }

    /** Why a frame id names no frame now. */
    String noFrame(int id) {
        int tid = references.releasedBy(id);
        return tid >= 0 ? "thread " + tid + " is running (or ran since frame " + id + " was listed): pause it and ask for its stack again"
                : "unknown frame id " + id + " (ask stackTrace for the current frames)";
    }

    private StackTraceResponse page(ThreadReferences.Owner owner, List<StackFrame> all, StackTraceArguments args) {
        int start = args.getStartFrame() == null ? 0 : Math.max(0, args.getStartFrame());
        int levels = args.getLevels() == null || args.getLevels() <= 0 ? all.size() : args.getLevels();
        List<StackFrame> page = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + levels));
        org.eclipse.lsp4j.debug.StackFrame[] out = new org.eclipse.lsp4j.debug.StackFrame[page.size()];
        for (int i = 0; i < page.size(); i++) {
            out[i] = describe(owner, page.get(i));
        }
        StackTraceResponse response = new StackTraceResponse();
        response.setStackFrames(out);
        response.setTotalFrames(all.size());
        return response;
    }

    /** Whether the client can open a source path the debug information names (after the sourceMap). */
    boolean sourceOnMachine(String path) {
        String local = sourceMap.toLocal(path);
        return local != null && sourceFiles.exists(local);
    }

    private org.eclipse.lsp4j.debug.StackFrame describe(ThreadReferences.Owner owner, StackFrame f) {
        int id = references.add(owner, new FrameRef(owner, f));
        org.eclipse.lsp4j.debug.StackFrame d = new org.eclipse.lsp4j.debug.StackFrame();
        d.setId(id);
        d.setName(f.function());
        d.setInstructionPointerReference(MemoryRequests.hex(f.pc()));
        f.module().map(StackTraces::moduleId).ifPresent(d::setModuleId);
        String local = f.source().map(p -> sourceMap.toLocal(p.path())).orElse(null);
        if (local != null && sourceFiles.exists(local)) {
            SourcePosition p = f.source().get();
            d.setSource(source(local));
            d.setLine(p.line());
            d.setColumn(Math.max(1, p.column()));
        } else {
            // No source here (no line info, or a file this machine does not have): the frame
            // gets its function's disassembly (SourceRequests.withDisassembly).
            d.setLine(0);
            d.setColumn(0);
            d.setPresentationHint(StackFramePresentationHint.SUBTLE);
        }
        if (f.kind() == StackFrame.Kind.SIGNAL_TRAMPOLINE) {
            d.setPresentationHint(StackFramePresentationHint.LABEL);
        }
        return d;
    }

    static Source source(String path) {
        Source s = new Source();
        int slash = path.lastIndexOf('/');
        s.setName(slash < 0 ? path : path.substring(slash + 1));
        s.setPath(path);
        return s;
    }

    static String moduleId(LoadedModule m) {
        return m.path() + "@" + MemoryRequests.hex(m.start());
    }
}
