/*
 * libquiesce-wake.so: turns SIGCHLD into a readable eventfd.
 *
 * The tracer thread blocks in poll() on two eventfds: one for its command queue and this one.
 * A SIGCHLD can arrive at any thread of the JVM; the handler only write()s to the eventfd,
 * which is async-signal-safe. The tracer reads (resets) the eventfd *before* draining
 * waitpid(WNOHANG), so a SIGCHLD that arrives during the drain leaves the eventfd readable
 * and the next poll() returns at once: no event is lost and nothing spins (ARCHITECTURE.md fact 3).
 *
 * SA_NOCLDSTOP must stay clear: with it the kernel sends no SIGCHLD for ptrace stops.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

static volatile int wake_fd = -1;
static struct sigaction previous;

static void on_sigchld(int sig, siginfo_t *info, void *context)
{
    int saved = errno;
    int fd = wake_fd;
    if (fd >= 0) {
        uint64_t one = 1;
        ssize_t ignored = write(fd, &one, sizeof one);
        (void) ignored;
    }
    /* Chain to a handler someone else installed before us. */
    if (previous.sa_flags & SA_SIGINFO) {
        if (previous.sa_sigaction)
            previous.sa_sigaction(sig, info, context);
    } else if (previous.sa_handler != SIG_DFL && previous.sa_handler != SIG_IGN) {
        previous.sa_handler(sig);
    }
    errno = saved;
}

/* Returns 0, or -1 with errno set. Idempotent: a second call only changes the fd. */
int quiesce_wake_on_sigchld(int eventfd)
{
    static int installed = 0;
    wake_fd = eventfd;
    if (installed)
        return 0;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_sigchld;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGCHLD, &action, &previous) != 0)
        return -1;
    installed = 1;
    return 0;
}
