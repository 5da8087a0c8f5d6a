package dev.quiesce.dap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The pool's rules on their own: release and the cap touch only the owning thread. */
class ThreadReferencesTest {

    @Test
    void aThreadsResumeReleasesOnlyItsIdsAndRemembersWhoReleasedThem() {
        ThreadReferences refs = new ThreadReferences(10);
        int a = refs.add(refs.owner(100), "a");
        int b = refs.add(refs.owner(200), "b");
        refs.release(100);
        assertTrue(refs.get(a, String.class).isEmpty());
        assertEquals(100, refs.releasedBy(a));
        assertEquals("b", refs.get(b, String.class).orElseThrow());
        assertEquals(-1, refs.releasedBy(b));
        refs.release(100); // its next resume: the remembered ids go too
        assertEquals(-1, refs.releasedBy(a));
    }

    @Test
    void anIdMadeForAStopThatEndedIsBornReleased() {
        ThreadReferences refs = new ThreadReferences(10);
        ThreadReferences.Owner before = refs.owner(100);
        refs.release(100);
        assertFalse(refs.current(before));
        int late = refs.add(before, "late");
        assertTrue(refs.get(late, String.class).isEmpty());
        assertEquals(100, refs.releasedBy(late));
    }

    @Test
    void theCapDropsTheOwningThreadsOldestNeverAnotherThreads() {
        ThreadReferences refs = new ThreadReferences(3);
        int other = refs.add(refs.owner(200), "other");
        int first = refs.add(refs.owner(100), "1");
        for (int i = 2; i <= 5; i++) {
            refs.add(refs.owner(100), Integer.toString(i));
        }
        assertEquals(3, refs.liveCount(100));
        assertTrue(refs.get(first, String.class).isEmpty());
        assertEquals("other", refs.get(other, String.class).orElseThrow());
    }

    @Test
    void anExitedThreadKeepsNothingAndItsOldStopsStayEnded() {
        ThreadReferences refs = new ThreadReferences(10);
        ThreadReferences.Owner stop = refs.owner(100);
        int id = refs.add(stop, "x");
        refs.forget(100);
        assertTrue(refs.get(id, String.class).isEmpty());
        assertEquals(0, refs.liveCount(100));
        assertFalse(refs.current(stop));
    }

    @Test
    void idsAreTypedFrameIdsAreNotVariablesReferences() {
        ThreadReferences refs = new ThreadReferences(10);
        int id = refs.add(refs.owner(1), "a frame");
        assertTrue(refs.get(id, Integer.class).isEmpty());
    }
}
