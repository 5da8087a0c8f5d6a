/* crash: writes through a null pointer (SIGSEGV), so it dies by a signal. */
#include <stdio.h>

int main(void)
{
    printf("about to crash\n");
    fflush(stdout);
    volatile int *p = 0;
    *p = 42;
    return 0;
}
