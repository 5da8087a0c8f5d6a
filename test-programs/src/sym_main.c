/* Symbols test program: two compilation units, recursion, a static function, a loop on one
 * line, structs and a call through a function pointer. Built at -O0 (DWARF 5), -O2, -gdwarf-4
 * and with compressed debug sections (-gz). Keep line numbers stable: tests name them. */
#include <stdio.h>
#include <stdlib.h>
#include "sym_util.h"

struct point {
    int x;
    int y;
};

static int counter;

static int square(int v)
{
    return v * v;
}

int factorial(int n)
{
    if (n <= 1)
        return 1;
    return n * factorial(n - 1);
}

int sum_to(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++) s += i;
    return s;
}

int apply(int (*fn)(int), int v)
{
    counter++;
    return fn(v);
}

int main(int argc, char **argv)
{
    struct point p = { 3, 4 };
    int n = argc > 1 ? atoi(argv[1]) : 5;
    int f = factorial(n);
    int s = sum_to(n * 1000);
    int q = apply(square, p.x + p.y);
    int d = util_distance(p.x, p.y);
    printf("%d %d %d %d %d\n", f, s, q, d, counter);
    return 0;
}
