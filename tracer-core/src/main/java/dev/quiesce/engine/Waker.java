package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.NativeFiles;
import dev.quiesce.linux.Pipe;
import dev.quiesce.linux.Signal;
import dev.quiesce.linux.Spawner;
import dev.quiesce.linux.Spawner.FdMapping;
import java.util.List;

/**
 * How another thread wakes the tracer thread out of a blocking waitpid(): a child of the tracer
 * thread ({@code quiesce-launcher --waker}) that does nothing. Stopping it with SIGSTOP makes
 * the kernel queue a "child stopped" status, which waitpid(WUNTRACED) returns; the tracer then
 * continues it (SIGCONT) before it looks at its command queue, so a later SIGSTOP is a new
 * stop and a new status. The status stays queued until waited for, so no wake-up is lost, and
 * the tracer sleeps in waitpid itself, the cheapest wait there is for ptrace events
 * (a SIGCHLD handler plus poll() cost 10-15 us more per event here).
 * Spawned by the tracer thread; it dies with it (PR_SET_PDEATHSIG).
 */
final class Waker {
    private volatile int pid;

    /** Spawns the waker; must run on the tracer thread (it must be that thread's child). */
    void spawn() {
        Pipe nothing = new Pipe();
        nothing.closeWrite();
        try {
            pid = Spawner.spawn(List.of(NativeFiles.launcher().toString(), "--waker"), List.of(),
                    List.of(new FdMapping(nothing.readFd(), 0), new FdMapping(nothing.readFd(), 1),
                            new FdMapping(nothing.readFd(), 2)));
        } finally {
            nothing.close();
        }
    }

    int pid() {
        return pid;
    }

    /** Makes the tracer's waitpid() return. Any thread. */
    void wake() {
        try {
            LibC.kill(pid, Signal.SIGSTOP.number());
        } catch (LastErrorException e) {
            // ESRCH: it is being respawned; the tracer will look at its queue anyway
        }
    }

    /** Called by the tracer once it has seen the waker stopped, before it reads its queue. */
    void rearm() {
        try {
            LibC.kill(pid, Signal.SIGCONT.number());
        } catch (LastErrorException ignored) {
            // gone: its exit status follows and it is respawned
        }
    }
}
