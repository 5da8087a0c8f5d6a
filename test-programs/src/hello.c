/* hello [EXIT_CODE]: writes one line to stdout and one to stderr, then exits with EXIT_CODE. */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int code = argc > 1 ? atoi(argv[1]) : 0;
    printf("hello from quiesce\n");
    fflush(stdout);
    fprintf(stderr, "a line on stderr\n");
    return code;
}
