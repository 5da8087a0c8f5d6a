package dev.quiesce.dap;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The {@code cancel} request: requests not answered yet, by their seq. Cancelling one answers it
 * at once with {@code success: false} and the message "cancelled" (DAP's convention); its work may
 * still finish, but its answer is dropped. A request that has already answered, or an id we never
 * saw, leaves nothing to cancel: the cancel request itself still succeeds, as the spec asks.
 *
 * <p>Requests arrive one at a time on LSP4J's reader thread; {@link ResponseHooks} notes the
 * seq of the request being dispatched, and the session registers the future it answers with.
 */
final class CancelRequests {
    /** The message of a cancelled request's response (DAP: "cancelled"). */
    static final String CANCELLED = "cancelled";

    private final Map<Integer, CompletableFuture<?>> pending = new ConcurrentHashMap<>();

    /** Remembers the answer of the request being dispatched (if any) until it completes. */
    <T> CompletableFuture<T> track(Integer requestSeq, CompletableFuture<T> answer) {
        if (requestSeq == null || answer.isDone()) {
            return answer;
        }
        pending.put(requestSeq, answer);
        answer.whenComplete((v, t) -> pending.remove(requestSeq, answer));
        return answer;
    }

    /**
     * Cancels the request with this seq if it has not answered yet; true if there was one.
     * The error answer goes out on {@code events}, in order with the other messages.
     */
    boolean cancel(Integer requestSeq, Executor events) {
        if (requestSeq == null) {
            return false;
        }
        CompletableFuture<?> answer = pending.remove(requestSeq);
        if (answer == null || answer.isDone()) {
            return false;
        }
        events.execute(() -> answer.completeExceptionally(RequestErrors.error(CANCELLED)));
        return true;
    }

    int pendingCount() {
        return pending.size();
    }
}
