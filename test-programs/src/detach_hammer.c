/* detach_hammer [N]: N threads (default 4) call hit_me() in a tight loop, checking every result,
 * until the process gets SIGUSR1; then main joins them, prints the number of calls and exits 0
 * when every call returned the right value, 1 otherwise. A test attaches, breakpoints hit_me and
 * detaches again and again while it runs: a trap left queued, a pc left one past an int3 or an
 * int3 byte left behind shows as a death by SIGTRAP or SIGSEGV, a wrong result, or a hang.
 * Built -no-pie: nm addresses are the run-time addresses. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_THREADS 64

static volatile sig_atomic_t stop;
static unsigned long calls[MAX_THREADS];

__attribute__((noinline)) int hit_me(int x)
{
    return x * 2 + 1;
}

static void on_usr1(int sig)
{
    (void) sig;
    stop = 1;
}

static void *worker(void *arg)
{
    long index = (long) arg;
    long bad = 0;
    for (int i = 0; !stop; i++) {
        if (hit_me(i) != i * 2 + 1)
            bad++;
        calls[index]++;
    }
    return (void *) bad;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    if (n < 1 || n > MAX_THREADS)
        n = 4;
    sigset_t usr1, old;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    /* Only main takes SIGUSR1 (threads inherit the blocked mask); it waits in sigsuspend. */
    sigprocmask(SIG_BLOCK, &usr1, &old);
    signal(SIGUSR1, on_usr1);
    pthread_t threads[MAX_THREADS];
    for (long i = 0; i < n; i++)
        pthread_create(&threads[i], NULL, worker, (void *) i);
    while (!stop)
        sigsuspend(&old);
    long bad = 0;
    unsigned long total = 0;
    for (int i = 0; i < n; i++) {
        void *result;
        pthread_join(threads[i], &result);
        bad += (long) result;
        total += calls[i];
    }
    printf("%lu calls, %ld wrong results\n", total, bad);
    return bad == 0 ? 0 : 1;
}
