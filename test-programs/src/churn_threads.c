/* churn_threads [TOTAL]: creates TOTAL short-lived threads, 8 at a time. Exits 0. Built -no-pie. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

static volatile long done;

/* A test breakpoints this: hits land while main is creating the next threads. */
__attribute__((noinline)) void worker_step(void)
{
    __atomic_add_fetch(&done, 1, __ATOMIC_RELAXED);
}

static void *short_life(void *arg)
{
    (void) arg;
    worker_step();
    return NULL;
}

int main(int argc, char **argv)
{
    int total = argc > 1 ? atoi(argv[1]) : 10000;
    for (int made = 0; made < total; made += 8) {
        pthread_t batch[8];
        for (int i = 0; i < 8; i++)
            pthread_create(&batch[i], NULL, short_life, NULL);
        for (int i = 0; i < 8; i++)
            pthread_join(batch[i], NULL);
    }
    printf("%ld threads ran\n", done);
    return done >= total ? 0 : 1;
}
