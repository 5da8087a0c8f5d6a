package dev.quiesce.linux;

/** A one-way byte channel to a child: a {@link Pipe}, or for output a {@link Pty}. */
public interface FdChannel {
    /** The end we (or the child) read from. */
    int readFd();

    /** The end we (or the child) write to. */
    int writeFd();

    void closeRead();

    void closeWrite();

    void close();

    /** Closes {@code fd} if open, ignoring a close that fails; returns -1, the closed marker. */
    static int closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                LibC.close(fd);
            } catch (com.sun.jna.LastErrorException ignored) {
                // already closed: nothing to release
            }
        }
        return -1;
    }
}
