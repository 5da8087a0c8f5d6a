/* bp_threads [N] [CALLS] [ROUNDS] [GATE]: (GATE=1: threads start calling together) N threads each call hit_me() CALLS times; the engine tests put
 * breakpoints on hit_me and count. counters[] lets a test watch threads make progress.
 * ROUNDS > 0: then each thread does ROUNDS more calls, 1 ms apart (a long-running program).
 * Exits 0 when every call returned the right value, 1 otherwise. Built -no-pie: nm addresses
 * are the run-time addresses. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define MAX_THREADS 64

volatile unsigned long counters[MAX_THREADS];
volatile unsigned long total_hits;
static int calls = 10000;
static int rounds;
static pthread_barrier_t gate;
static int use_gate;

__attribute__((noinline)) int hit_me(int x)
{
    __atomic_add_fetch(&total_hits, 1, __ATOMIC_RELAXED);
    return x * 2 + 1;
}

__attribute__((noinline)) int other_spot(int x)
{
    return x - 1;
}

static void *worker(void *arg)
{
    long index = (long) arg;
    long bad = 0;
    if (use_gate)
        pthread_barrier_wait(&gate);
    for (int i = 0; i < calls; i++) {
        if (hit_me(i) != i * 2 + 1)
            bad++;
        if (other_spot(i) != i - 1)
            bad++;
        counters[index]++;
    }
    struct timespec ms = {0, 1000000};
    for (int r = 0; r < rounds; r++) {
        if (hit_me(r) != r * 2 + 1)
            bad++;
        counters[index]++;
        nanosleep(&ms, NULL);
    }
    return (void *) bad;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 8;
    calls = argc > 2 ? atoi(argv[2]) : 10000;
    rounds = argc > 3 ? atoi(argv[3]) : 0;
    if (n < 1 || n > MAX_THREADS)
        n = 8;
    use_gate = argc > 4 && atoi(argv[4]) != 0;
    if (use_gate)
        pthread_barrier_init(&gate, NULL, n);
    pthread_t threads[MAX_THREADS];
    for (long i = 0; i < n; i++)
        pthread_create(&threads[i], NULL, worker, (void *) i);
    long bad = 0;
    for (int i = 0; i < n; i++) {
        void *result;
        pthread_join(threads[i], &result);
        bad += (long) result;
    }
    printf("%lu hits, %ld wrong results\n", total_hits, bad);
    return bad == 0 ? 0 : 1;
}
