package dev.quiesce.linux;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * Direct-mapped glibc calls (JNA direct mapping: ~1 µs per call, no reflection per call).
 * Methods that report failure through errno declare {@link LastErrorException}; its
 * {@code getErrorCode()} is the errno. Pointers are passed as raw addresses ({@code long})
 * where the kernel only needs an address, so one signature serves every ptrace request.
 */
public final class LibC {
    static {
        Native.register(LibC.class, Platform.C_LIBRARY_NAME);
    }

    private LibC() {
    }

    public static native long ptrace(long request, int pid, long addr, long data) throws LastErrorException;

    public static native int waitpid(int pid, int[] status, int options) throws LastErrorException;

    public static native int pipe2(int[] fds, int flags) throws LastErrorException;

    public static native long read(int fd, byte[] buffer, long count) throws LastErrorException;

    public static native long write(int fd, byte[] buffer, long count) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int open(String path, int flags) throws LastErrorException;

    public static native long pread(int fd, byte[] buffer, long count, long offset) throws LastErrorException;

    public static native long pwrite(int fd, byte[] buffer, long count, long offset) throws LastErrorException;

    public static native int kill(int pid, int signal) throws LastErrorException;

    // Pseudo-terminals (Pty): the debuggee's stdout and stderr are terminals, so libc line-buffers them.
    public static native int posix_openpt(int flags) throws LastErrorException;

    public static native int grantpt(int fd) throws LastErrorException;

    public static native int unlockpt(int fd) throws LastErrorException;

    public static native int ptsname_r(int fd, byte[] buffer, long length);

    /** {@code termios} as 64 bytes (glibc x86-64: 60, c_oflag at offset 4). */
    public static native int tcgetattr(int fd, byte[] termios) throws LastErrorException;

    public static native int tcsetattr(int fd, int when, byte[] termios) throws LastErrorException;

    public static native String strerror(int errno);

    // posix_spawn family: these return an error number instead of setting errno.
    public static native int posix_spawn(int[] pid, String path, Pointer fileActions, Pointer attributes,
            Pointer argv, Pointer envp);

    public static native int posix_spawn_file_actions_init(Pointer fileActions);

    public static native int posix_spawn_file_actions_adddup2(Pointer fileActions, int fd, int newFd);

    public static native int posix_spawn_file_actions_destroy(Pointer fileActions);

    public static native int posix_spawnattr_init(Pointer attributes);

    public static native int posix_spawnattr_setflags(Pointer attributes, short flags);

    public static native int posix_spawnattr_setsigmask(Pointer attributes, Pointer sigset);

    public static native int posix_spawnattr_setsigdefault(Pointer attributes, Pointer sigset);

    public static native int posix_spawnattr_setpgroup(Pointer attributes, int pgroup);

    public static native int posix_spawnattr_destroy(Pointer attributes);

    public static native int sigemptyset(Pointer sigset);

    public static native int sigfillset(Pointer sigset);

    public static native int sigdelset(Pointer sigset, int signal);
}
