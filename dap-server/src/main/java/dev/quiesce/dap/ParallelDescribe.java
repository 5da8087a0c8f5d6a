package dev.quiesce.dap;

import dev.quiesce.values.Type;
import dev.quiesce.values.Value;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Which children of a short page (a scope's variables) are described on a second thread: every
 * other aggregate (struct, class, array; a std::vector's or std::map's 200-element text is most
 * of a Locals request, issue 14), so two large objects are formatted at once on the machine's
 * two cores. Long pages (1000 ints) and pages with one aggregate stay on one thread: the hand-off
 * costs more than it saves there. The second thread runs with the request's deadline (the work
 * executor) and its own read cache and formatter.
 */
final class ParallelDescribe {
    /** Pages longer than this are elements of one container: described in order on one thread. */
    static final int MAX_PAGE = 64;

    private ParallelDescribe() {}

    /** Per child, true when it goes to the second thread; all false when nothing is worth moving. */
    static boolean[] split(List<Value> children) {
        boolean[] elsewhere = new boolean[children.size()];
        if (children.size() > MAX_PAGE) {
            return elsewhere;
        }
        int aggregates = 0;
        for (int i = 0; i < elsewhere.length; i++) {
            if (aggregate(children.get(i))) {
                elsewhere[i] = aggregates++ % 2 == 1;
            }
        }
        return elsewhere;
    }

    static boolean any(boolean[] elsewhere) {
        for (boolean b : elsewhere) {
            if (b) {
                return true;
            }
        }
        return false;
    }

    /** Waits for the other thread's part; its failure (a missed deadline, say) is this request's. */
    static void join(CompletableFuture<Void> other) {
        try {
            other.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static boolean aggregate(Value v) {
        if (v == null || v.error() != null || v.optimizedOut()) {
            return false;
        }
        Type.Kind k = v.type().strip().kind();
        return k == Type.Kind.STRUCT || k == Type.Kind.CLASS || k == Type.Kind.ARRAY;
    }
}
