package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/** poll(2) on a fixed set of file descriptors for readability. */
public final class Poller {
    private static final short POLLIN = 1;
    private static final int POLLFD_SIZE = 8; // int fd; short events; short revents

    private final Memory fds;
    private final int count;

    public Poller(int... fileDescriptors) {
        this.count = fileDescriptors.length;
        this.fds = new Memory((long) POLLFD_SIZE * count);
        for (int i = 0; i < count; i++) {
            fds.setInt((long) i * POLLFD_SIZE, fileDescriptors[i]);
            fds.setShort((long) i * POLLFD_SIZE + 4, POLLIN);
            fds.setShort((long) i * POLLFD_SIZE + 6, (short) 0);
        }
    }

    /** Blocks until one descriptor is readable. A signal (EINTR) simply returns early. */
    public void awaitReadable() {
        try {
            LibC.poll(fds, count, -1);
        } catch (LastErrorException e) {
            if (e.getErrorCode() != Errno.EINTR) {
                throw e;
            }
        }
    }
}
