/*
 * Values that must answer at once and never hang (issue 13): pointers into unmapped memory, a
 * NULL array member, a ring of list nodes, an array type of 2^60 elements, a bit field behind a
 * NULL pointer. Stopped at the raise(SIGUSR1) marked STOP HERE; every local is set before it.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>

struct table { int count; int *array; };
struct ring { int id; struct ring *next; };
struct flags { unsigned low : 3; unsigned high : 5; };

int numbers[4] = {10, 20, 30, 40};

static void on_usr1(int sig) { (void) sig; }

__attribute__((noinline)) int inspect(struct table *t, struct ring *ring)
{
    char *err = (char *) 3;
    char *far = (char *) 0x10000;
    char *fine = "fine";
    int (*huge)[1L << 60] = (int (*)[1L << 60]) numbers;
    struct flags *no_flags = NULL;
    struct ring *no_ring = NULL;
    int sum = 0;
    raise(SIGUSR1); /* STOP HERE */
    sum += t->count + ring->id + (err != far) + (fine[0] == 'f') + (*huge)[1] + (no_flags == NULL) + (no_ring == NULL);
    return sum;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    struct table t = {3, NULL};
    struct ring c = {3, NULL};
    struct ring b = {2, &c};
    struct ring a = {1, &b};
    c.next = &a;
    printf("%d\n", inspect(&t, &a));
    return 0;
}
