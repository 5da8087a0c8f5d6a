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
}
