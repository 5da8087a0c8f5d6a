/* tgkill_thread [SIGNAL]: three workers; main prints the tid of worker 2, then sends SIGNAL
 * (default SIGUSR1; a number, e.g. 36 for SIGRTMIN+2) to that thread only (tgkill). Its handler records which thread ran it; exits 0 if it was worker 2. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile pid_t tids[3];
static volatile pid_t handled_by;
static volatile int stop;

static void handler(int sig)
{
    (void) sig;
    handled_by = (pid_t) syscall(SYS_gettid);
}

static void *worker(void *arg)
{
    long i = (long) arg;
    tids[i] = (pid_t) syscall(SYS_gettid);
    while (!stop)
        usleep(1000);
    return NULL;
}

int main(int argc, char **argv)
{
    int sig = argc > 1 ? atoi(argv[1]) : SIGUSR1;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(sig, &sa, NULL);
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, (void *) i);
    while (!tids[0] || !tids[1] || !tids[2])
        usleep(1000);
    printf("target %d\n", (int) tids[1]);
    fflush(stdout);
    syscall(SYS_tgkill, getpid(), tids[1], sig);
    while (!handled_by)
        usleep(1000);
    stop = 1;
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    printf("handled by %d\n", (int) handled_by);
    return handled_by == tids[1] ? 0 : 1;
}
