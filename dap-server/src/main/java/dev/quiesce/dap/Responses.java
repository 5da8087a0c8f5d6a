package dev.quiesce.dap;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * How a session's request handlers turn their work into an answer: completed on the events
 * thread (in order with the events, never overtaken by one it caused), failures turned into
 * error responses, bound by the request's deadline ({@link RequestDeadlines}) and open to
 * {@code cancel} ({@link CancelRequests}). Called on LSP4J's reader thread, inside the handler
 * of the request being dispatched: that is how the request's seq and command are known.
 */
final class Responses {
    private final ResponseHooks hooks;
    private final Executor events;
    private final CancelRequests cancels;
    private final RequestDeadlines deadlines;

    Responses(ResponseHooks hooks, Executor events, CancelRequests cancels, RequestDeadlines deadlines) {
        this.hooks = hooks;
        this.events = events;
        this.cancels = cancels;
        this.deadlines = deadlines;
    }

    /** The deadline of the request being dispatched on this thread. */
    RequestDeadline deadline() {
        return deadlines.start(hooks.dispatchingCommand(), hooks.dispatchingRequest());
    }

    /** Where the request's long work runs: off the reader's and the tracer's threads, with its deadline current. */
    Executor work(RequestDeadline deadline) {
        return deadlines.work(deadline);
    }

    <T> CompletableFuture<T> respond(CompletableFuture<T> future) {
        return respond(deadline(), future);
    }

    /** The answer to the request whose work is {@code future}; an error naming what took too long if it misses {@code deadline}. */
    <T> CompletableFuture<T> respond(RequestDeadline deadline, CompletableFuture<T> future) {
        CompletableFuture<T> result = new CompletableFuture<>();
        future.whenCompleteAsync((value, failure) -> {
            dev.quiesce.trace.RequestTrace.mark("answer on the events thread");
            if (failure != null) {
                result.completeExceptionally(RequestDeadlines.abandoned(failure)
                        ? RequestErrors.error(deadline.timeoutMessage()) : RequestErrors.toResponseError(failure));
            } else {
                result.complete(value);
            }
        }, events);
        deadlines.enforce(deadline, result, events);
        return cancels.track(hooks.dispatchingRequest(), result);
    }

    /**
     * {@link #respond} for a request that resumes threads: their stop events are held back
     * until this response is written (see {@link ProcessEvents#hold}). {@code tid} -1: all.
     */
    <T> CompletableFuture<T> respondBeforeStops(ProcessEvents processEvents, int tid, Supplier<CompletableFuture<T>> work) {
        Integer seq = hooks.dispatchingRequest();
        processEvents.hold(tid);
        // Released once the response is on the wire (LSP4J may write it on this thread, later,
        // if the work is done before it attaches to the future), or at once if we cannot tell.
        Runnable release = () -> events.execute(() -> processEvents.release(tid));
        if (seq != null) {
            hooks.afterResponseTo(seq, release);
        }
        CompletableFuture<T> future;
        try {
            future = work.get();
        } catch (RuntimeException e) {
            future = CompletableFuture.failedFuture(e);
        }
        CompletableFuture<T> result = respond(future);
        if (seq == null) {
            result.whenComplete((value, failure) -> release.run());
        }
        return result;
    }
}
