package dev.quiesce.engine;

import com.sun.jna.LastErrorException;
import dev.quiesce.linux.Errno;
import dev.quiesce.linux.LibC;
import dev.quiesce.linux.ProcessMemory;
import dev.quiesce.linux.Ptrace;
import dev.quiesce.linux.Registers;
import dev.quiesce.linux.WaitStatus;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Fork children kept traced for a parent that follows forks (issue 18, launch argument
 * {@code followForks}): each waits stopped at its first stop, already cleaned of the parent's
 * int3 bytes and page traps, until a session takes it ({@link Tracer#adoptForkChild} in this
 * JVM, {@link #handOver} to another), or it is let go clean. Tracer thread only.
 */
final class HeldForks {
    private static final Logger LOG = Logger.getLogger(HeldForks.class.getName());
    private static final int WALL = 0x40000000;
    /** {@code jmp .}: the two bytes a handed-over child spins on until its new tracer has it. */
    private static final byte[] SPIN = {(byte) 0xEB, (byte) 0xFE};

    /** A held child: its parent's pid, whether it shares the parent's memory (vfork), a signal that came meanwhile. */
    record Held(int pid, int parent, boolean vfork, int signal) {
    }

    private final Map<Integer, Held> held = new HashMap<>();

    void hold(int pid, ProcessCore parent, boolean vfork, int signal) {
        held.put(pid, new Held(pid, parent.pid(), vfork, signal));
        parent.forkChildHeld(pid, vfork);
    }

    boolean holds(int pid) {
        return held.containsKey(pid);
    }

    Held take(int pid) {
        Held h = held.remove(pid);
        if (h == null) {
            throw new TracerException("process " + pid + " is no fork child this debugger holds (taken already, let go, or never forked here)");
        }
        return h;
    }

    /** Lets a held child run on untraced, as if it had never been followed. */
    void release(int pid) {
        Held h = take(pid);
        detach(pid, h.signal());
    }

    /**
     * Detaches a held child for another tracer without letting it run on: its next instruction
     * becomes {@code jmp .}, so it spins in place until the new tracer writes the bytes back.
     * Invisible to the program, unlike detaching into a SIGSTOP group-stop: its parent's
     * waitpid(WUNTRACED) and SIGCHLD would report a stop the child never makes untraced. A
     * fork child writes its own copy of the page; a vfork child writes the memory it shares with
     * its parent, but the parent cannot run before the child execs or exits, which it cannot do
     * while it spins. A signal meanwhile is handled by the child as it would be untraced (its
     * handler returns to the loop).
     */
    ForkHandover handOver(int pid) {
        Held h = take(pid);
        try (ProcessMemory memory = new ProcessMemory(pid)) {
            long pc = Registers.read(pid).rip();
            byte[] original = memory.read(pc, SPIN.length);
            if (original.length != SPIN.length) {
                throw new TracerException(String.format("cannot hand fork child %d over: no code at its pc 0x%x", pid, pc));
            }
            memory.write(pc, SPIN);
            detach(pid, h.signal());
            return new ForkHandover(pid, pc, original);
        } catch (IOException | RuntimeException e) {
            detach(pid, h.signal()); // it runs on untraced instead: never leave it stopped and traced
            throw new TracerException("cannot hand fork child " + pid + " over: " + e.getMessage(), e);
        }
    }

    /**
     * The receiving side of {@link #handOver}: seizes the spinning child, stops it and writes its
     * bytes back. It is then stopped with its pc where it was at the fork (or in a signal handler
     * that will return there). Returns a signal to deliver at its restart (0: none).
     */
    static int takeOver(ForkHandover h) {
        try {
            Ptrace.seize(h.pid(), Tracer.TRACE_OPTIONS);
        } catch (LastErrorException e) {
            throw new TracerException("cannot take fork child " + h.pid() + " over: " + Errno.describe(e.getErrorCode()));
        }
        int signal = stop(h.pid());
        restoreBytes(h);
        return signal;
    }

    /**
     * A handover nobody completed: if no other tracer has the child, it gets its bytes back and
     * runs on untraced. Returns whether it was ours to recover.
     */
    static boolean recover(ForkHandover h) {
        try {
            Ptrace.seize(h.pid(), Tracer.TRACE_OPTIONS);
        } catch (LastErrorException e) {
            return false; // EPERM: the new tracer has it; ESRCH: gone
        }
        int signal = stop(h.pid());
        restoreBytes(h);
        detach(h.pid(), signal);
        return true;
    }

    /** PTRACE_INTERRUPT and the stop it makes; a signal-delivery stop before it is kept to deliver. */
    private static int stop(int pid) {
        Ptrace.interrupt(pid);
        int signal = 0;
        int[] status = new int[1];
        while (true) {
            int got;
            try {
                got = LibC.waitpid(pid, status, WALL);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EINTR) {
                    continue;
                }
                throw new TracerException("cannot wait for fork child " + pid + ": " + Errno.describe(e.getErrorCode()));
            }
            WaitStatus ws = new WaitStatus(got, status[0]);
            if (!ws.stopped()) {
                throw new TracerException("fork child " + pid + " ended during its handover");
            }
            if (ws.event() == Ptrace.EVENT_STOP) {
                return signal;
            }
            if (ws.event() == 0) {
                signal = ws.stopSignal(); // delivered at its restart, after the interrupt's stop
            }
            Ptrace.cont(pid, 0);
        }
    }

    private static void restoreBytes(ForkHandover h) {
        try (ProcessMemory memory = new ProcessMemory(h.pid())) {
            memory.write(h.pc(), h.original());
        } catch (IOException e) {
            throw new TracerException("cannot restore fork child " + h.pid() + "'s code: " + e.getMessage(), e);
        }
    }

    private static void detach(int pid, int signal) {
        try {
            Ptrace.detach(pid, signal);
        } catch (LastErrorException e) {
            LOG.fine(() -> "detach fork child " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }
}
