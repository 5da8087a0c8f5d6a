package dev.quiesce.linux;


/** A pipe(2) whose two ends are close-on-exec in this process; posix_spawn dup2()s one end into the child. */
public final class Pipe implements FdChannel {
    private static final int O_CLOEXEC = 0x80000;

    private int readFd;
    private int writeFd;

    public Pipe() {
        int[] fds = new int[2];
        LibC.pipe2(fds, O_CLOEXEC);
        readFd = fds[0];
        writeFd = fds[1];
    }

    @Override
    public int readFd() {
        return readFd;
    }

    @Override
    public int writeFd() {
        return writeFd;
    }

    @Override
    public void closeRead() {
        readFd = FdChannel.closeQuietly(readFd);
    }

    @Override
    public void closeWrite() {
        writeFd = FdChannel.closeQuietly(writeFd);
    }

    @Override
    public void close() {
        closeRead();
        closeWrite();
    }
}
