/* Software watchpoints by page protection with threads (issue 17): four threads hammer the
 * watched page (a plain store to a slot of their own, a locked add to a shared counter) while
 * a global on the same page is watched; main writes that global once they are done. The
 * counter must come out exact: a locked add the tracer steps must stay atomic. argv[1]: a file
 * for the result too (a detached run's stdout may be gone). */
#include <pthread.h>
#include <stdio.h>

#define THREADS 4
#define ROUNDS 2000

long slots[THREADS];
long counter;
int watched = 1;

static void *work(void *arg) {
    long k = (long)arg;
    for (int i = 0; i < ROUNDS; i++) {
        slots[k] = i;
        __atomic_fetch_add(&counter, 1, __ATOMIC_SEQ_CST);
    }
    return NULL;
}

int main(int argc, char **argv) {
    pthread_t t[THREADS];
    for (long k = 0; k < THREADS; k++)
        pthread_create(&t[k], NULL, work, (void *)k);
    for (int k = 0; k < THREADS; k++)
        pthread_join(t[k], NULL);
    watched = 2;
    printf("counter=%ld slots=%ld,%ld,%ld,%ld watched=%d\n", counter, slots[0], slots[1], slots[2], slots[3], watched);
    if (argc > 1) {
        FILE *f = fopen(argv[1], "w");
        fprintf(f, "counter=%ld watched=%d\n", counter, watched);
        fclose(f);
    }
    return 0;
}
