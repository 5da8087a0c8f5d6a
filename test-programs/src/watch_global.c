/* Data breakpoints (issue 17): a global written once among calls that write a neighbour on its
 * page, a write from a thread created after the watch is set, a local that goes out of scope, a
 * read. argv[1]: the number of calls (100000 by default); argv[2]: a file for the result. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

long neighbour;
int g = 1;
int read_me = 7;
int thread_target;

static void touch(long i, long calls) {
    neighbour = i;
    if (i == calls / 2)
        g = 2;
}

static void *writer(void *arg) {
    (void)arg;
    thread_target = 42;
    return NULL;
}

static int with_local(int n) {
    int local = 0;
    for (int i = 1; i <= n; i++)
        local += i;
    return local;
}

int main(int argc, char **argv) {
    long calls = argc > 1 ? atol(argv[1]) : 100000;
    int sum = with_local(3);
    int seen = read_me;
    pthread_t t;
    pthread_create(&t, NULL, writer, NULL);
    pthread_join(t, NULL);
    for (long i = 0; i < calls; i++)
        touch(i, calls);
    printf("g=%d neighbour=%ld sum=%d seen=%d thread_target=%d\n", g, neighbour, sum, seen, thread_target);
    if (argc > 2) {
        FILE *f = fopen(argv[2], "w");
        fprintf(f, "g=%d neighbour=%ld\n", g, neighbour);
        fclose(f);
    }
    return 0;
}
