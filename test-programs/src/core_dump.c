/* core_dump [wait]: three threads; main calls level1 -> level2, which writes through a bad
 * pointer (SIGSEGV at address 0x10) with known locals, so the kernel dumps a core. With "wait",
 * level2 prints "ready" and pauses instead, for gcore. The workers wait in pause(). */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct point {
    int x;
    int y;
    const char *label;
};

static pthread_barrier_t ready;
double scale = 2.5;
static int waiting;

static void *worker(void *arg)
{
    long id = (long) arg;
    char name[16];
    snprintf(name, sizeof name, "worker-%ld", id);
    pthread_setname_np(pthread_self(), name);
    pthread_barrier_wait(&ready);
    for (;;)
        pause();
    return NULL;
}

static int level2(struct point *p, int depth)
{
    volatile int *bad = (int *) 0x10;
    double ratio = p->x * scale;
    if (waiting) {
        printf("ready\n");
        fflush(stdout);
        for (;;)
            pause();
    }
    *bad = (int) ratio + depth; /* the fault */
    return p->y;
}

static int level1(int n)
{
    struct point origin = {n, n * 2, "origin"};
    return level2(&origin, n + 1);
}

int main(int argc, char **argv)
{
    pthread_t threads[2];
    waiting = argc > 1 && strcmp(argv[1], "wait") == 0;
    pthread_barrier_init(&ready, NULL, 3);
    for (long i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, worker, (void *) i);
    pthread_barrier_wait(&ready);
    return level1(7);
}
