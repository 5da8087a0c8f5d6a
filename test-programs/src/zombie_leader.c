/* zombie_leader: main calls pthread_exit; the worker then calls hit_me() (a test breakpoints
 * it) and exits the process with code 7. Built -no-pie. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) int hit_me(int x)
{
    return x + 1;
}

static void *worker(void *arg)
{
    (void) arg;
    usleep(50000); /* main is a zombie by now */
    if (hit_me(6) != 7)
        exit(1);
    exit(7);
}

int main(void)
{
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_exit(NULL);
}
