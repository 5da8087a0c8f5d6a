package dev.quiesce.linux;

import com.sun.jna.Pointer;

/**
 * The fields of a {@code siginfo_t} (x86-64 layout) that a debugger reports: the signal,
 * its si_code, and the union members that si_code makes meaningful.
 *
 * @param signal   si_signo
 * @param code     si_code (SI_USER, SI_KERNEL, SEGV_MAPERR, TRAP_TRACE, ...)
 * @param senderPid si_pid, for signals sent by kill/tgkill/sigqueue
 * @param senderUid si_uid, likewise
 * @param address  si_addr, for faults (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP)
 */
public record SigInfo(int signal, int code, int senderPid, int senderUid, long address) {
    public static final int SI_USER = 0;
    public static final int SI_KERNEL = 0x80;
    public static final int SI_TKILL = -6;

    static SigInfo read(Pointer p) {
        // int si_signo; int si_errno; int si_code; int pad; union at offset 16
        return new SigInfo(p.getInt(0), p.getInt(8), p.getInt(16), p.getInt(20), p.getLong(16));
    }
}
