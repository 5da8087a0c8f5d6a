/* loop_o2 [N]: an optimised (-O2) program: sums a series and prints it. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long series(unsigned long n)
{
    unsigned long s = 0;
    for (unsigned long i = 0; i < n; i++)
        s += i * i % 7;
    return s;
}

int main(int argc, char **argv)
{
    unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
    printf("series(%lu) = %lu\n", n, series(n));
    return 0;
}
