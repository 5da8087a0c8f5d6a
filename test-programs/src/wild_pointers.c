/*
 * Values that must answer at once and never hang (issue 13): pointers into unmapped memory, a
 * NULL array member, a ring of list nodes, an array type of 2^60 elements, a bit field behind a
 * NULL pointer, and a string that runs into an unmapped page. Stopped at the raise(SIGUSR1) marked STOP HERE; every local is set before it.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

struct table { int count; int *array; };
struct ring { int id; struct ring *next; };
struct flags { unsigned low : 3; unsigned high : 5; };

int numbers[4] = {10, 20, 30, 40};

static void on_usr1(int sig) { (void) sig; }

__attribute__((noinline)) int inspect(struct table *t, struct ring *ring, char *edge)
{
    char *err = (char *) 3;
    char *far = (char *) 0x10000;
    char *fine = "fine";
    int (*huge)[1L << 60] = (int (*)[1L << 60]) numbers;
    struct flags *no_flags = NULL;
    struct ring *no_ring = NULL;
    int sum = 0;
    raise(SIGUSR1); /* STOP HERE */
    sum += edge[0] + t->count + ring->id + (err != far) + (fine[0] == 'f') + (*huge)[1] + (no_flags == NULL) + (no_ring == NULL);
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
    /* "abc" and no NUL in the last bytes of a page whose successor is unmapped */
    char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    memcpy(page + 4093, "abc", 3);
    printf("%d\n", inspect(&t, &a, page + 4093));
    return 0;
}
