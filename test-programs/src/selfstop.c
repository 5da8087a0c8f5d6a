/* selfstop [TIMES]: a worker thread counts while main stops the whole process with SIGSTOP
 * TIMES times (somebody outside must send SIGCONT each time). Exits 0 after the last one. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

volatile unsigned long ticks;
static volatile int stop;

static void *worker(void *arg)
{
    (void) arg;
    while (!stop) {
        ticks++;
        usleep(100);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int times = argc > 1 ? atoi(argv[1]) : 20;
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    for (int i = 0; i < times; i++) {
        usleep(2000);
        raise(SIGSTOP);
    }
    stop = 1;
    pthread_join(t, NULL);
    printf("stopped myself %d times\n", times);
    return 0;
}
