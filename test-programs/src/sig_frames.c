/* Backtraces through a signal handler and through libc: handler_work runs inside a SIGUSR1
 * handler; compare_ints is qsort's callback. Tests put breakpoints on both. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

volatile int handled;

void handler_work(int sig)
{
    handled += sig;
}

static void on_usr1(int sig)
{
    handler_work(sig);
}

int compare_ints(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

void raise_it(void)
{
    raise(SIGUSR1);
}

int main(void)
{
    int values[] = { 5, 3, 9, 1 };
    signal(SIGUSR1, on_usr1);
    raise_it();
    qsort(values, 4, sizeof values[0], compare_ints);
    printf("%d %d %d %d %d\n", values[0], values[1], values[2], values[3], handled);
    return 0;
}
