package dev.quiesce.dap;

import dev.quiesce.debugger.StackFrame;
import dev.quiesce.engine.StopReason;
import dev.quiesce.engine.ThreadStop;
import java.util.List;
import java.util.Optional;
import org.eclipse.lsp4j.debug.ExceptionBreakMode;
import org.eclipse.lsp4j.debug.ExceptionDetails;
import org.eclipse.lsp4j.debug.ExceptionInfoResponse;

/**
 * How a Rust panic stop (the rust_panic filter) reads: the stopped event says "Rust panic: MESSAGE"
 * (the message as std's hook printed it, when it could be read), exceptionInfo adds where: the
 * innermost frame outside Rust's standard library, the code that panicked.
 */
final class RustPanicInfo {
    /** Frames of these crates are std's panic machinery (and the caller of a #[track_caller] function it reports). */
    private static final List<String> STD = List.of("std::", "core::", "alloc::", "__rustc::", "<std::", "<core::", "<alloc::", "<&");

    private RustPanicInfo() {
    }

    static boolean isPanic(ThreadStop stop) {
        return stop.reason() == StopReason.RUST_PANIC;
    }

    static String description(ThreadStop stop) {
        return stop.detail().map(m -> "Rust panic: " + m).orElse("Rust panic");
    }

    /** The innermost frame with a source outside std, core and alloc: where the program panicked. */
    static Optional<StackFrame> panicking(List<StackFrame> frames) {
        return frames.stream().filter(f -> f.source().isPresent() && f.function() != null
                && STD.stream().noneMatch(f.function()::startsWith)).findFirst();
    }

    static ExceptionInfoResponse response(ThreadStop stop, List<StackFrame> frames) {
        Optional<String> where = panicking(frames).map(f -> f.function() + " at " + f.source().get().fileName() + ":" + f.source().get().line());
        ExceptionInfoResponse r = new ExceptionInfoResponse();
        r.setExceptionId("rust_panic");
        r.setDescription(description(stop) + where.map(w -> " (in " + w + ")").orElse(""));
        r.setBreakMode(ExceptionBreakMode.ALWAYS);
        ExceptionDetails details = new ExceptionDetails();
        details.setMessage(stop.detail().orElse("the panic's message could not be read")
                + where.map(w -> "\npanicked in " + w).orElse(""));
        details.setTypeName("panic");
        r.setDetails(details);
        return r;
    }
}
