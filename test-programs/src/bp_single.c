/* bp_single [CALLS]: one thread calls hit_me() CALLS times; the benchmark's breakpoint target.
 * Built -no-pie. Exits 0 when every call returned the right value. */
#include <stdio.h>
#include <stdlib.h>

volatile unsigned long counters[1];

__attribute__((noinline)) int hit_me(int x)
{
    counters[0]++;
    return x * 2 + 1;
}

int main(int argc, char **argv)
{
    long calls = argc > 1 ? atol(argv[1]) : 10000;
    long bad = 0;
    for (long i = 0; i < calls; i++)
        if (hit_me((int) i) != (int) i * 2 + 1)
            bad++;
    printf("%lu calls, %ld wrong\n", counters[0], bad);
    return bad == 0 ? 0 : 1;
}
