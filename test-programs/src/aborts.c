/* aborts: calls abort() (SIGABRT sent to itself, si_code SI_TKILL). */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    printf("about to abort\n");
    fflush(stdout);
    abort();
}
