/* thread_writer: three workers sleep in a loop; worker 2 alone calls write(2) once, saying its
 * tid. A catchpoint on write must stop worker 2 only. Exits 0. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static volatile int stop;

static void *worker(void *arg)
{
    long index = (long) arg;
    if (index == 1) {
        usleep(20000);
        char line[64];
        int n = snprintf(line, sizeof line, "worker tid %ld\n", (long) syscall(SYS_gettid));
        write(1, line, n);
        stop = 1;
    }
    while (!stop)
        usleep(1000);
    return NULL;
}

int main(void)
{
    pthread_t t[3];
    for (long i = 0; i < 3; i++)
        pthread_create(&t[i], NULL, worker, (void *) i);
    for (int i = 0; i < 3; i++)
        pthread_join(t[i], NULL);
    return 0;
}
