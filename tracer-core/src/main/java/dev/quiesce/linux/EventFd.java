package dev.quiesce.linux;

import com.sun.jna.LastErrorException;

/** A non-blocking eventfd(2): a counter other threads (or a signal handler) bump to wake a poll(). */
public final class EventFd implements AutoCloseable {
    private static final int EFD_NONBLOCK = 0x800;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    private final int fd;

    public EventFd() {
        this.fd = LibC.eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    }

    public int fd() {
        return fd;
    }

    public void signal() {
        LibC.write(fd, ONE, 8);
    }

    /** Resets the counter; returns whether it was non-zero. */
    public boolean drain() {
        byte[] value = new byte[8];
        try {
            return LibC.read(fd, value, 8) == 8;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.EAGAIN) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void close() {
        LibC.close(fd);
    }
}
