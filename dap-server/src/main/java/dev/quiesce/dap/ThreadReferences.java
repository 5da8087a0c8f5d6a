package dev.quiesce.dap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Ids handed to the client (frame ids and variablesReferences, from one counter so that
 * neither is mistaken for the other), pooled by the thread whose stop they belong to (java-debug's RecyclableObjectPool): a thread's resume releases its pool and
 * only its pool, so in non-stop one thread running never invalidates another's ids. A pool
 * holds at most {@code perThread} ids; past that its own oldest go, no other thread's.
 *
 * <p>An id released by a resume is remembered (its thread only, not its value) until that
 * thread's next resume, so a late request can be told "the thread ran" rather than "unknown".
 * Owner -1 is "no thread" (a global evaluated while everything runs): never released.
 * Thread-safe: request work threads add and look up, the events thread releases.
 */
final class ThreadReferences {
    /** A thread's stop: ids made for it are live until the thread resumes (its generation moves on). */
    record Owner(int tid, long generation) {
    }

    private record Entry(int tid, Object value) {
    }

    private static final class Pool {
        long generation;
        ArrayDeque<Integer> live = new ArrayDeque<>();
        List<Integer> released = List.of();
    }

    private final int perThread;
    private final AtomicInteger nextId = new AtomicInteger(1);
    private final Map<Integer, Entry> live = new ConcurrentHashMap<>();
    /** Released id -> its thread, until that thread resumes again. */
    private final Map<Integer, Integer> released = new ConcurrentHashMap<>();
    private final Map<Integer, Pool> pools = new ConcurrentHashMap<>();

    ThreadReferences(int perThread) {
        this.perThread = perThread;
    }

    private Pool pool(int tid) {
        return pools.computeIfAbsent(tid, t -> new Pool());
    }

    /** The thread's current stop, to make ids for (and to check later that it is still that stop). */
    Owner owner(int tid) {
        Pool p = pool(tid);
        synchronized (p) {
            return new Owner(tid, p.generation);
        }
    }

    /** Whether the owner's thread has not resumed since. */
    boolean current(Owner owner) {
        Pool p = pool(owner.tid());
        synchronized (p) {
            return p.generation == owner.generation();
        }
    }

    /**
     * A new id for {@code value}, owned by that stop of its thread. If the thread has resumed
     * since (a request's work finishing late), the id is born released.
     */
    int add(Owner owner, Object value) {
        int id = nextId.getAndIncrement();
        Pool p = pool(owner.tid());
        synchronized (p) {
            if (p.generation != owner.generation()) {
                released.put(id, owner.tid());
                List<Integer> r = new ArrayList<>(p.released);
                r.add(id);
                p.released = r;
                return id;
            }
            if (p.live.size() >= perThread) {
                live.remove(p.live.pollFirst()); // this thread's oldest; the others' stay
            }
            p.live.addLast(id);
            live.put(id, new Entry(owner.tid(), value));
        }
        return id;
    }

    /** What the id stands for, if it is a {@code type}, while its thread has not resumed since it was made. */
    <V> Optional<V> get(int id, Class<V> type) {
        Entry e = live.get(id);
        return e == null || !type.isInstance(e.value()) ? Optional.empty() : Optional.of(type.cast(e.value()));
    }

    /** The thread whose resume released this id (-1: none, the id is unknown or live). */
    int releasedBy(int id) {
        return released.getOrDefault(id, -1);
    }

    /** The thread resumed: its ids (only its) are released. */
    void release(int tid) {
        if (tid < 0) {
            return;
        }
        Pool p = pool(tid);
        synchronized (p) {
            p.released.forEach(released::remove);
            List<Integer> now = new ArrayList<>(p.live);
            for (int id : now) {
                live.remove(id);
                released.put(id, tid);
            }
            p.released = now;
            p.live = new ArrayDeque<>();
            p.generation++;
        }
    }

    /** The thread exited: nothing of it is kept. */
    void forget(int tid) {
        Pool p = pools.get(tid); // kept: its generation must not start again at 0
        if (p != null) {
            synchronized (p) {
                p.live.forEach(live::remove);
                p.released.forEach(released::remove);
                p.live = new ArrayDeque<>();
                p.released = List.of();
                p.generation++; // an Owner still held by a request is not current any more
            }
        }
    }

    /** Live ids of the thread (for tests and diagnostics). */
    int liveCount(int tid) {
        Pool p = pools.get(tid);
        if (p == null) {
            return 0;
        }
        synchronized (p) {
            return p.live.size();
        }
    }
}
