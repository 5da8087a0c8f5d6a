/* Functions for the expression-call tests (CallsTest): called from the debugger at stop_here(). */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct pair { int a; int b; };            /* one INTEGER eightbyte */
struct vec2 { double x; double y; };      /* SSE, SSE */
struct mixed { long id; double weight; }; /* INTEGER, SSE */
struct big { long v[4]; };                /* 32 bytes: MEMORY, by hidden pointer */

long nodebug_twice(long x);               /* libnodebug.so, built without debug information */

int counter = 0;
volatile long ticks = 0;                  /* advanced by the worker while the main thread is stopped */
const char *name = "quiesce";

int add(int a, int b) { return a + b; }
double scale(double x) { return x * 2; }
float halve(float f) { return f / 2; }
long sum8(long a, long b, long c, long d, long e, long f, long g, long h) { return a + b + c + d + e + f + g + h * 100; }
double mix(int i, double d, long l, float f) { return i + d + l + f; }
const char *pick(int second) { return second ? "second" : "first"; }
struct pair make_pair(int a, int b) { struct pair p = {a, b}; return p; }
struct vec2 vmul(struct vec2 v, double k) { struct vec2 r = {v.x * k, v.y * k}; return r; }
struct mixed make_mixed(long id, double weight) { struct mixed m = {id, weight}; return m; }
struct big make_big(long base) { struct big b = {{base, base + 1, base + 2, base + 3}}; return b; }
long big_sum(struct big b) { return b.v[0] + b.v[1] + b.v[2] + b.v[3]; }
int bump(int by) { counter += by; return counter; }
int count_args(int n, ...) {
    va_list ap;
    int total = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        total += va_arg(ap, int);
    }
    va_end(ap);
    return total;
}
double sum_doubles(int n, ...) {
    va_list ap;
    double total = 0;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        total += va_arg(ap, double);
    }
    va_end(ap);
    return total;
}
int hits_breakpoint(int x) {
    return x + 1; /* the test puts a breakpoint here */
}
int crashes(int *p) {
    return *p; /* called with NULL: SIGSEGV */
}
int spins(void) {
    for (;;) {
        ticks += 0; /* never returns: the call times out */
    }
}

static void *work(void *arg) {
    (void) arg;
    for (;;) {
        ticks++;
        usleep(200);
    }
    return NULL;
}

void stop_here(int depth) {
    printf("stopped at depth %d\n", depth);
    fflush(stdout);
}

int main(void) {
    pthread_t worker;
    pthread_create(&worker, NULL, work, NULL);
    while (ticks < 10) {
        usleep(100);
    }
    stop_here(1);
    printf("calls done: counter=%d add=%d twice=%ld\n", counter, add(1, 2), nodebug_twice(4));
    return 0;
}
