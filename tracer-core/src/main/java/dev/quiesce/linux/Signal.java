package dev.quiesce.linux;

import java.util.Optional;

/** The Linux x86-64 signals by number, with the names and descriptions users know them by. */
public enum Signal {
    SIGHUP(1, "Hangup"),
    SIGINT(2, "Interrupt"),
    SIGQUIT(3, "Quit"),
    SIGILL(4, "Illegal instruction"),
    SIGTRAP(5, "Trace/breakpoint trap"),
    SIGABRT(6, "Aborted"),
    SIGBUS(7, "Bus error"),
    SIGFPE(8, "Arithmetic exception"),
    SIGKILL(9, "Killed"),
    SIGUSR1(10, "User defined signal 1"),
    SIGSEGV(11, "Segmentation fault"),
    SIGUSR2(12, "User defined signal 2"),
    SIGPIPE(13, "Broken pipe"),
    SIGALRM(14, "Alarm clock"),
    SIGTERM(15, "Terminated"),
    SIGSTKFLT(16, "Stack fault"),
    SIGCHLD(17, "Child status changed"),
    SIGCONT(18, "Continued"),
    SIGSTOP(19, "Stopped (signal)"),
    SIGTSTP(20, "Stopped (user)"),
    SIGTTIN(21, "Stopped (tty input)"),
    SIGTTOU(22, "Stopped (tty output)"),
    SIGURG(23, "Urgent I/O condition"),
    SIGXCPU(24, "CPU time limit exceeded"),
    SIGXFSZ(25, "File size limit exceeded"),
    SIGVTALRM(26, "Virtual timer expired"),
    SIGPROF(27, "Profiling timer expired"),
    SIGWINCH(28, "Window changed"),
    SIGIO(29, "I/O possible"),
    SIGPWR(30, "Power failure"),
    SIGSYS(31, "Bad system call");

    /** SIGRTMIN as the kernel defines it; glibc reserves 32 and 33 for itself. */
    public static final int RT_MIN = 32;
    public static final int RT_MAX = 64;

    private final int number;
    private final String description;

    Signal(int number, String description) {
        this.number = number;
        this.description = description;
    }

    public int number() {
        return number;
    }

    public String description() {
        return description;
    }

    public static Optional<Signal> of(int number) {
        for (Signal s : values()) {
            if (s.number == number) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** "SIGSEGV", or "SIG34" style names for real-time signals. */
    public static String nameOf(int number) {
        return of(number).map(Enum::name).orElse("SIG" + number);
    }

    /** The job-control stop signals: a PTRACE_EVENT_STOP with one of these may be a group-stop. */
    public static boolean isStopSignal(int number) {
        return number == SIGSTOP.number || number == SIGTSTP.number
                || number == SIGTTIN.number || number == SIGTTOU.number;
    }
}
