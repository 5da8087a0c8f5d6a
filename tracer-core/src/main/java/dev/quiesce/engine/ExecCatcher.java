package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.Fanotify;
import dev.quiesce.linux.FdChannel;
import dev.quiesce.linux.LibC;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * attach's {@code waitFor}: catches the first process that execs one file, inside that execve.
 * A fanotify FAN_OPEN_EXEC_PERM mark on the file makes the kernel hold the execve until we answer,
 * so there is no window at all: we seize the thread while it waits, allow the open, and the exec
 * completes as PTRACE_EVENT_EXEC, before the new program's first instruction (as a launch is held).
 * Needs CAP_SYS_ADMIN (root); without it {@link #watch} fails and the caller falls back to /proc.
 * Not thread-bound; one catch only.
 */
final class ExecCatcher implements HeldExec {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(ExecCatcher.class.getName());
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int SLICE_MILLIS = 200;

    private final Path program;
    private int group;
    private int eventFd = -1;
    /** When the exec was caught (System.nanoTime), to log how long it was held. */
    private long caughtAt;
    private int caughtTid;

    private ExecCatcher(Path program, int group) {
        this.program = program;
        this.group = group;
    }

    /** Marks {@code program}; fails with the reason when fanotify cannot be used here. */
    static ExecCatcher watch(Path program) {
        int group;
        try {
            group = Fanotify.fanotify_init(Fanotify.FAN_CLASS_CONTENT | Fanotify.FAN_CLOEXEC | Fanotify.FAN_REPORT_TID,
                    O_RDONLY | O_CLOEXEC);
        } catch (LastErrorException e) {
            throw new TracerException("fanotify is not available (" + Errno.describe(e.getErrorCode()) + ")");
        }
        try {
            Fanotify.fanotify_mark(group, Fanotify.FAN_MARK_ADD, Fanotify.FAN_OPEN_EXEC_PERM, Fanotify.AT_FDCWD, program.toString());
        } catch (LastErrorException e) {
            FdChannel.closeQuietly(group);
            throw new TracerException("cannot watch " + program + " for its exec: " + Errno.describe(e.getErrorCode()));
        }
        return new ExecCatcher(program, group);
    }

    /** Blocks until a thread execs the program, and returns its tid; its execve waits for {@link #release}. */
    int awaitExec(BooleanSupplier cancelled) {
        byte[] pollFd = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(group).putShort((short) Fanotify.POLLIN).array();
        byte[] event = new byte[Fanotify.EVENT_SIZE * 16];
        while (true) {
            if (cancelled.getAsBoolean()) {
                throw new TracerException("stopped waiting for " + program.getFileName() + " to start");
            }
            try {
                if (Fanotify.poll(pollFd, 1, SLICE_MILLIS) == 0) {
                    continue;
                }
                long n = LibC.read(group, event, event.length);
                ByteBuffer b = ByteBuffer.wrap(event, 0, (int) n).order(ByteOrder.LITTLE_ENDIAN);
                // The first event is ours; any others (a second process in the same instant) are
                // allowed when the group closes.
                long mask = b.getLong(8);
                int fd = b.getInt(16);
                int tid = b.getInt(20);
                if ((mask & Fanotify.FAN_OPEN_EXEC_PERM) != 0 && fd >= 0) {
                    eventFd = fd;
                    caughtAt = System.nanoTime();
                    caughtTid = tid;
                    return tid;
                }
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR) {
                    throw new TracerException("waiting for " + program.getFileName() + " to start failed: "
                            + Errno.describe(e.getErrorCode()));
                }
            }
        }
    }

    @Override
    public void release() {
        if (eventFd >= 0) {
            byte[] response = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(eventFd).putInt(Fanotify.FAN_ALLOW).array();
            try {
                LibC.write(group, response, response.length);
            } catch (LastErrorException ignored) {
                // the process is gone
            }
            eventFd = FdChannel.closeQuietly(eventFd);
            long micros = (System.nanoTime() - caughtAt) / 1000;
            LOG.info(() -> "caught the exec of " + program + " by thread " + caughtTid + "; its execve was held " + micros
                    + " us until it was seized");
        }
        close();
    }

    @Override
    public String error() {
        return "";
    }

    @Override
    public boolean attached() {
        return true;
    }

    /** Closing the group allows every exec it still holds: nobody is left blocked. */
    @Override
    public void close() {
        eventFd = FdChannel.closeQuietly(eventFd);
        group = FdChannel.closeQuietly(group);
    }
}
