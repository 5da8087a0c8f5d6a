/* workers: four threads named worker-0..worker-3 count in counters[i] until the program is
 * killed. worker-0 passes checkpoint() on each round and sleeps 10 ms; the others count fast
 * (1 us naps). Non-stop and all-stop tests stop some threads and watch the others' counters.
 * Keep line numbers stable: tests name checkpoint's line. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <time.h>

volatile unsigned long counters[4];

__attribute__((noinline)) void checkpoint(long round)
{
    counters[0] = round;
}

static void nap(long nanoseconds)
{
    struct timespec t = { 0, nanoseconds };
    nanosleep(&t, NULL);
}

static void *worker(void *arg)
{
    long index = (long) arg;
    char name[16];
    snprintf(name, sizeof name, "worker-%ld", index);
    pthread_setname_np(pthread_self(), name);
    for (long round = 1;; round++) {
        if (index == 0) {
            checkpoint(round);
            nap(10000000);
        } else {
            counters[index]++;
            nap(1000);
        }
    }
    return NULL;
}

int main(void)
{
    pthread_t threads[4];
    for (long i = 0; i < 4; i++)
        pthread_create(&threads[i], NULL, worker, (void *) i);
    puts("workers started");
    fflush(stdout);
    for (int i = 0; i < 4; i++)
        pthread_join(threads[i], NULL);
    return 0;
}
