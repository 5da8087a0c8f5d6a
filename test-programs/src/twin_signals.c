/* twin_signals: two workers wait at a barrier, then each sends SIGUSR1 to itself at once.
 * The handler counts; exits with the count (2 when both were delivered). */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static pthread_barrier_t gate;
static volatile sig_atomic_t handled;

static void handler(int sig)
{
    (void) sig;
    __atomic_add_fetch(&handled, 1, __ATOMIC_RELAXED);
}

static void *worker(void *arg)
{
    (void) arg;
    pthread_barrier_wait(&gate);
    syscall(SYS_tgkill, getpid(), syscall(SYS_gettid), SIGUSR1);
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_barrier_init(&gate, NULL, 2);
    pthread_t a, b;
    pthread_create(&a, NULL, worker, NULL);
    pthread_create(&b, NULL, worker, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    return handled;
}
