/* threads [N] [STOPFILE]: N named worker threads ("worker-1".."worker-N") count up in
 * counters[] until STOPFILE exists (or forever without one); then main prints the totals. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64

volatile unsigned long counters[MAX_THREADS];
static const char *stop_file;
static volatile int stop;

static void *worker(void *arg)
{
    long index = (long) arg;
    struct timespec pause = {0, 100000};
    while (!stop) {
        counters[index]++;
        nanosleep(&pause, NULL);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    if (n < 1 || n > MAX_THREADS)
        n = 4;
    stop_file = argc > 2 ? argv[2] : NULL;
    pthread_t threads[MAX_THREADS];
    for (long i = 0; i < n; i++) {
        pthread_create(&threads[i], NULL, worker, (void *) i);
        char name[16];
        snprintf(name, sizeof name, "worker-%ld", i + 1);
        pthread_setname_np(threads[i], name);
    }
    printf("started %d threads\n", n);
    fflush(stdout);
    struct timespec pause = {0, 1000000};
    while (!stop_file || access(stop_file, F_OK) != 0)
        nanosleep(&pause, NULL);
    stop = 1;
    unsigned long total = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(threads[i], NULL);
        total += counters[i];
    }
    printf("all threads joined, %lu iterations\n", total);
    return 0;
}
