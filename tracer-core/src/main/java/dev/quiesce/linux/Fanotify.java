package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** fanotify(7): here only to hold a process in the execve of one file (FAN_OPEN_EXEC_PERM). */
public final class Fanotify {
    static {
        Native.register(Fanotify.class, Platform.C_LIBRARY_NAME);
    }

    public static final int FAN_CLOEXEC = 0x1;
    public static final int FAN_CLASS_CONTENT = 0x4;
    /** Events name the thread that opened the file, not its process (an exec from a non-leader thread). */
    public static final int FAN_REPORT_TID = 0x100;
    public static final int FAN_MARK_ADD = 0x1;
    public static final long FAN_OPEN_EXEC_PERM = 0x40000L;
    public static final int FAN_ALLOW = 0x1;
    public static final int AT_FDCWD = -100;
    /** struct fanotify_event_metadata: event_len u32, vers u8, reserved u8, metadata_len u16, mask u64, fd s32, pid s32. */
    public static final int EVENT_SIZE = 24;
    public static final int POLLIN = 0x1;

    private Fanotify() {
    }

    public static native int fanotify_init(int flags, int eventFlags) throws LastErrorException;

    public static native int fanotify_mark(int fd, int flags, long mask, int dirFd, String path) throws LastErrorException;

    /** {@code fds}: struct pollfd entries of 8 bytes (fd s32, events s16, revents s16). */
    public static native int poll(byte[] fds, long count, int timeoutMillis) throws LastErrorException;
}
