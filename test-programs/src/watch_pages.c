/* Software watchpoints by page protection (issue 17): a watched int on a page of its own that the
 * program protects itself (its own SIGSEGV handler gives write access back), then writes the
 * tracer cannot perform itself: a locked add, and a read() whose buffer is the watched int (the
 * kernel writes the page). Prints what the program saw; the same with and without a debugger. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct box {
    int value;
    int other;
    char pad[4096 - 2 * sizeof(int)];
};
static struct box box __attribute__((aligned(4096))) = {1, 0, {0}};
static volatile sig_atomic_t faults;
static volatile int fault_was_ours;

static void on_segv(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    faults++;
    fault_was_ours = info->si_addr == (void *)&box.value && info->si_code == SEGV_ACCERR;
    mprotect(&box, sizeof box, PROT_READ | PROT_WRITE);
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    int fds[2];
    if (pipe(fds) != 0)
        return 2;
    int seventy_seven = 77;
    if (write(fds[1], &seventy_seven, sizeof seventy_seven) != sizeof seventy_seven)
        return 3;
    mprotect(&box, sizeof box, PROT_READ); /* the program's own protection */
    box.value = 5;                         /* faults: its handler unprotects; the store is retried */
    box.other = 9;
    __atomic_fetch_add(&box.value, 1, __ATOMIC_SEQ_CST);
    long n = read(fds[0], &box.value, sizeof box.value);
    printf("faults=%d ours=%d value=%d other=%d read=%ld\n", (int)faults, fault_was_ours, box.value, box.other, n);
    return 0;
}
