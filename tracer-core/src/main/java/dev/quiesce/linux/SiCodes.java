package dev.quiesce.linux;

/** si_code values by name (siginfo.h, x86-64), for telling people why a signal came. */
public final class SiCodes {
    private SiCodes() {
    }

    public static String name(int signal, int code) {
        switch (code) {
            case 0: return "SI_USER";
            case 0x80: return "SI_KERNEL";
            case -1: return "SI_QUEUE";
            case -2: return "SI_TIMER";
            case -3: return "SI_MESGQ";
            case -4: return "SI_ASYNCIO";
            case -5: return "SI_SIGIO";
            case -6: return "SI_TKILL";
            default: break;
        }
        String[] names = switch (Signal.of(signal).orElse(Signal.SIGHUP)) {
            case SIGSEGV -> new String[] {"SEGV_MAPERR", "SEGV_ACCERR", "SEGV_BNDERR", "SEGV_PKUERR"};
            case SIGBUS -> new String[] {"BUS_ADRALN", "BUS_ADRERR", "BUS_OBJERR", "BUS_MCEERR_AR", "BUS_MCEERR_AO"};
            case SIGILL -> new String[] {"ILL_ILLOPC", "ILL_ILLOPN", "ILL_ILLADR", "ILL_ILLTRP", "ILL_PRVOPC",
                "ILL_PRVREG", "ILL_COPROC", "ILL_BADSTK"};
            case SIGFPE -> new String[] {"FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND",
                "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB"};
            case SIGTRAP -> new String[] {"TRAP_BRKPT", "TRAP_TRACE", "TRAP_BRANCH", "TRAP_HWBKPT"};
            case SIGCHLD -> new String[] {"CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED", "CLD_STOPPED", "CLD_CONTINUED"};
            default -> new String[0];
        };
        return code >= 1 && code <= names.length ? names[code - 1] : "si_code " + code;
    }

    /** Whether si_addr is meaningful: the signal was a fault at an address. */
    public static boolean hasAddress(int signal, int code) {
        boolean fault = signal == Signal.SIGSEGV.number() || signal == Signal.SIGBUS.number()
                || signal == Signal.SIGILL.number() || signal == Signal.SIGFPE.number();
        return fault && code > 0 && code < 0x80;
    }

    /** Whether si_pid/si_uid say who sent it. */
    public static boolean hasSender(int code) {
        return code <= 0;
    }
}
