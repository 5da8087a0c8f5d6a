package dev.quiesce.linux;

/** The errno values the tracer reacts to, and readable messages for the rest. */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EACCES = 13;
    public static final int EINVAL = 22;

    private Errno() {
    }

    public static String describe(int errno) {
        return LibC.strerror(errno) + " (errno " + errno + ")";
    }
}
