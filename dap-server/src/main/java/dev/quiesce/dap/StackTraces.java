package dev.quiesce.dap;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.debugger.StackWalker;
import dev.quiesce.engine.ProgramState;
import dev.quiesce.symbols.LoadedModule;
import dev.quiesce.symbols.SourcePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StackFramePresentationHint;
import org.eclipse.lsp4j.debug.StackTraceArguments;
import org.eclipse.lsp4j.debug.StackTraceResponse;

/**
 * The {@code stackTrace} request: a stopped thread's frames (inlined functions as frames of
 * their own), paged with {@code startFrame}/{@code levels}, with {@code totalFrames}. Frame ids
 * are unique in the session and name (thread, frame) for the requests that take a frame.
 */
final class StackTraces {
    private static final int MAX_PHYSICAL_FRAMES = 256;
    private static final int REMEMBERED_FRAMES = 10_000;

    /** What a frame id stands for. */
    record FrameRef(int threadId, StackFrame frame, long epoch) {
    }

    /** The thread's stop count when its frames were listed (see {@link VariableRequests}). */
    private java.util.function.IntToLongFunction epochs = tid -> 0;

    void epochs(java.util.function.IntToLongFunction epochs) {
        this.epochs = epochs;
    }

    private final AtomicInteger nextId = new AtomicInteger(1);
    private final SourceFiles sourceFiles = new SourceFiles();
    private final SourceMap sourceMap;

    StackTraces(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }
    private final Map<Integer, FrameRef> frames = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, FrameRef> eldest) {
            return size() > REMEMBERED_FRAMES;
        }
    };

    CompletableFuture<StackTraceResponse> stackTrace(ProgramState process, StackWalker walker, StackTraceArguments args) {
        int tid = args.getThreadId();
        return process.isStopped(tid).thenCompose(stopped -> {
            if (!stopped) {
                return RequestErrors.failed("thread " + tid + " is running: pause it to see its stack");
            }
            return walker.backtrace(tid, MAX_PHYSICAL_FRAMES);
        }).thenApply(all -> page(tid, all, args));
    }

    Optional<FrameRef> frame(int id) {
        synchronized (frames) {
            return Optional.ofNullable(frames.get(id));
        }
    }

    private StackTraceResponse page(int tid, List<StackFrame> all, StackTraceArguments args) {
        int start = args.getStartFrame() == null ? 0 : Math.max(0, args.getStartFrame());
        int levels = args.getLevels() == null || args.getLevels() <= 0 ? all.size() : args.getLevels();
        List<StackFrame> page = all.subList(Math.min(start, all.size()), Math.min(all.size(), start + levels));
        org.eclipse.lsp4j.debug.StackFrame[] out = new org.eclipse.lsp4j.debug.StackFrame[page.size()];
        for (int i = 0; i < page.size(); i++) {
            out[i] = describe(tid, page.get(i));
        }
        StackTraceResponse response = new StackTraceResponse();
        response.setStackFrames(out);
        response.setTotalFrames(all.size());
        return response;
    }

    private org.eclipse.lsp4j.debug.StackFrame describe(int tid, StackFrame f) {
        int id = nextId.getAndIncrement();
        synchronized (frames) {
            frames.put(id, new FrameRef(tid, f, epochs.applyAsLong(tid)));
        }
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
