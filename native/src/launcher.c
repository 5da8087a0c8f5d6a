/*
 * quiesce-launcher: the first process of every debuggee.
 *
 * The debugger spawns this with posix_spawn (never fork from the JVM, never ProcessBuilder:
 * see ARCHITECTURE.md fact 2). It applies what must happen in the child before the program
 * starts, then blocks reading fd 3 until the tracer thread has PTRACE_SEIZEd it, and execs.
 * Blocking on a pipe (rather than raise(SIGSTOP)) means the seize never races a group-stop.
 *
 * usage: quiesce-launcher [--cwd DIR] [--no-aslr] [--seccomp-trace NR,NR...] [--handshake SOCKET] -- PROGRAM [ARGS...]
 *   --seccomp-trace: install a seccomp filter that returns SECCOMP_RET_TRACE for these syscall
 *   numbers (the tracer sees PTRACE_EVENT_SECCOMP stops for them only) and allows the rest:
 *   syscall catchpoints known at launch cost nothing on other syscalls.
 *   --handshake: we were not spawned by the debugger but started in a terminal (DAP runInTerminal),
 *   so the program's stdio is that terminal. Connect to the debugger's Unix socket SOCKET, allow
 *   any process to trace us (Yama), send our pid as a decimal line, and use the socket as both the
 *   "go" fd and the error fd below.
 *        quiesce-launcher --waker
 *   --waker: do nothing, forever, as the tracer thread's wake-up child: other threads SIGSTOP it
 *   to make the tracer's blocking waitpid() return (see engine/Waker.java). Dies with its parent.
 *   fd 3: "go" pipe; one byte means exec, EOF means give up.
 *   fd 4: error pipe (close-on-exec); on failure, a line "errno<TAB>what" is written here.
 * The environment passed to posix_spawn is the program's environment, unchanged.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <stddef.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <sys/socket.h>
#include <sys/un.h>

#define GO_FD 3
#define ERROR_FD 4

extern char **environ;

static void fail(const char *what, const char *arg)
{
    int err = errno;
    dprintf(ERROR_FD, "%d\t%s %s: %s\n", err, what, arg ? arg : "", strerror(err));
    _exit(127);
}

#define MAX_TRACED 64

/* Allow everything but the listed x86-64 syscalls, which stop in the tracer (seccomp(2)). */
static void install_seccomp(const char *list)
{
    struct sock_filter filter[4 + 2 * MAX_TRACED + 1];
    int n = 0;
    filter[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    filter[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
    filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    filter[n++] = (struct sock_filter) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    const char *p = list;
    int traced = 0;
    while (*p && traced < MAX_TRACED) {
        char *end;
        unsigned long nr = strtoul(p, &end, 10);
        if (end == p)
            break;
        filter[n++] = (struct sock_filter) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned) nr, 0, 1);
        filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE);
        traced++;
        p = *end == ',' ? end + 1 : end;
    }
    filter[n++] = (struct sock_filter) BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog program = {(unsigned short) n, filter};
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0) {
        /* Without CAP_SYS_ADMIN the kernel wants no_new_privs first. */
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &program) != 0)
            fail("cannot install the seccomp filter for syscall catchpoints", NULL);
    }
}

static int waker(void)
{
    pid_t parent = getppid();
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(0); /* the parent is already gone */
#ifdef SYS_close_range
    syscall(SYS_close_range, 3, ~0U, 0); /* hold nothing of the JVM open (a DAP socket, a pipe) */
#endif
    for (;;)
        pause();
}

/* --handshake: make the debugger's socket our fds 3 (go) and 4 (errors), after telling it our pid. */
static void handshake(const char *path)
{
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof address.sun_path) {
        errno = ENAMETOOLONG;
        perror("quiesce-launcher: handshake socket");
        _exit(127);
    }
    strcpy(address.sun_path, path);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0 || connect(s, (struct sockaddr *) &address, sizeof address) != 0) {
        perror("quiesce-launcher: cannot reach the debugger");
        _exit(127);
    }
#ifndef PR_SET_PTRACER
#define PR_SET_PTRACER 0x59616d61
#endif
    prctl(PR_SET_PTRACER, (unsigned long) -1, 0, 0, 0); /* PR_SET_PTRACER_ANY; EINVAL without Yama */
    dprintf(s, "%d\n", (int) getpid());
    if (dup2(s, GO_FD) < 0 || dup2(s, ERROR_FD) < 0) {
        perror("quiesce-launcher: dup2");
        _exit(127);
    }
    if (s != GO_FD && s != ERROR_FD)
        close(s);
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--waker") == 0)
        return waker();
    const char *cwd = NULL;
    const char *seccomp = NULL;
    int no_aslr = 0;
    int i = 1;
    for (; i < argc; i++) {
        if (strcmp(argv[i], "--cwd") == 0 && i + 1 < argc) {
            cwd = argv[++i];
        } else if (strcmp(argv[i], "--no-aslr") == 0) {
            no_aslr = 1;
        } else if (strcmp(argv[i], "--seccomp-trace") == 0 && i + 1 < argc) {
            seccomp = argv[++i];
        } else if (strcmp(argv[i], "--handshake") == 0 && i + 1 < argc) {
            handshake(argv[++i]);
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else {
            errno = EINVAL;
            fail("bad launcher argument", argv[i]);
        }
    }
    if (i >= argc) {
        errno = EINVAL;
        fail("no program given", NULL);
    }
    fcntl(ERROR_FD, F_SETFD, FD_CLOEXEC);


    /* Wait until the tracer has seized us. */
    char go;
    ssize_t n;
    do {
        n = read(GO_FD, &go, 1);
    } while (n < 0 && errno == EINTR);
    if (n != 1)
        _exit(126);
    close(GO_FD);

    /* Everything that can fail happens after the seize, so the tracer sees the exit and
     * reads the reason from the error pipe (an exit before the seize would make it fail). */
    if (cwd && chdir(cwd) != 0)
        fail("cannot change directory to", cwd);
    if (no_aslr && personality(PER_LINUX | ADDR_NO_RANDOMIZE) == -1)
        fail("personality(ADDR_NO_RANDOMIZE) failed", NULL);
    if (seccomp)
        install_seccomp(seccomp);

    /* Nothing of the JVM may leak into the program: close every fd above stderr except the
     * error pipe, which closes itself on a successful exec. */
#ifdef SYS_close_range
    syscall(SYS_close_range, 5, ~0U, 0);
#endif
    execve(argv[i], &argv[i], environ);
    fail("cannot execute", argv[i]);
    return 127;
}
