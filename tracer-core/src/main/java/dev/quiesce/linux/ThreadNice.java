package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The nice value of the calling thread. Java's thread priorities do nothing on Linux, but a
 * Linux thread is a task with its own nice value: a thread at nice 19 runs only on a core no
 * other thread of the process wants (issue 19: warm-ups that must not slow a session's start).
 */
public final class ThreadNice {
    static {
        Native.register(ThreadNice.class, Platform.C_LIBRARY_NAME);
    }

    private static final int PRIO_PROCESS = 0;
    /** The lowest priority a nice value gives. */
    public static final int LOWEST = 19;

    private ThreadNice() {}

    private static native int gettid();

    private static native int setpriority(int which, int who, int prio) throws LastErrorException;

    private static native int getpriority(int which, int who) throws LastErrorException;

    /** Sets the calling thread's nice value; false if the kernel refused. */
    public static boolean set(int nice) {
        try {
            setpriority(PRIO_PROCESS, gettid(), nice);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /** The calling thread's nice value. */
    public static int get() {
        // getpriority returns 20 - nice for the raw syscall; glibc's wrapper returns the nice value itself
        return getpriority(PRIO_PROCESS, gettid());
    }
}
