package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A pseudo-terminal used as an output channel, in place of a {@link Pipe}: the debuggee writes
 * to the terminal side (so isatty() is true and libc line-buffers stdout, and output arrives
 * as it is printed, not at exit), we read the controller side. Output post-processing is off,
 * so "\n" stays "\n" (a terminal would write "\r\n"). The terminal is opened O_NOCTTY: it never
 * becomes the debuggee's controlling terminal, so no job-control signal comes of it.
 * Once every writer has closed the terminal side, reads of the controller fail with EIO: that is
 * the end of the output (what EOF is for a pipe).
 */
public final class Pty implements FdChannel {
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0x100;
    private static final int O_CLOEXEC = 0x80000;
    private static final int TCSANOW = 0;
    private static final int C_OFLAG = 4;
    private static final int OPOST = 1;

    private int controllerFd;
    private int terminalFd;

    private Pty(int controllerFd, int terminalFd) {
        this.controllerFd = controllerFd;
        this.terminalFd = terminalFd;
    }

    /** A new pty, or empty where the system has none to give (no /dev/ptmx, no devpts mounted). */
    public static Optional<Pty> open() {
        int controller;
        try {
            controller = LibC.posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
        } catch (LastErrorException e) {
            return Optional.empty();
        }
        try {
            LibC.grantpt(controller);
            LibC.unlockpt(controller);
            byte[] name = new byte[128];
            if (LibC.ptsname_r(controller, name, name.length) != 0) {
                LibC.close(controller);
                return Optional.empty();
            }
            int end = 0;
            while (end < name.length && name[end] != 0) {
                end++;
            }
            int terminal = LibC.open(new String(name, 0, end, StandardCharsets.US_ASCII), O_RDWR | O_NOCTTY | O_CLOEXEC);
            rawOutput(terminal);
            return Optional.of(new Pty(controller, terminal));
        } catch (LastErrorException e) {
            LibC.close(controller);
            return Optional.empty();
        }
    }

    /** Clears OPOST: the terminal passes the program's bytes through unchanged. */
    private static void rawOutput(int terminal) {
        byte[] termios = new byte[64];
        LibC.tcgetattr(terminal, termios);
        ByteBuffer b = ByteBuffer.wrap(termios).order(ByteOrder.nativeOrder());
        b.putInt(C_OFLAG, b.getInt(C_OFLAG) & ~OPOST);
        LibC.tcsetattr(terminal, TCSANOW, termios);
    }

    /** The side we read the program's output from. */
    @Override
    public int readFd() {
        return controllerFd;
    }

    /** The terminal the program writes to (posix_spawn dup2()s it into the child). */
    @Override
    public int writeFd() {
        return terminalFd;
    }

    @Override
    public void closeRead() {
        controllerFd = FdChannel.closeQuietly(controllerFd);
    }

    @Override
    public void closeWrite() {
        terminalFd = FdChannel.closeQuietly(terminalFd);
    }

    @Override
    public void close() {
        closeRead();
        closeWrite();
    }
}
