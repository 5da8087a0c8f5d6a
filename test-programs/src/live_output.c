/* live_output PATH: prints a line to stdout and one to stderr WITHOUT fflush, then runs until
 * PATH exists, then prints "done" and exits 0. Its output reaches a debugger while it runs only
 * if stdout is a terminal (line-buffered); through a pipe libc holds it until exit. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: live_output PATH\n");
        return 2;
    }
    printf("stdout is %sa terminal\n", isatty(1) ? "" : "not ");
    fprintf(stderr, "a line on stderr\n");
    struct timespec pause = {0, 1000000};
    while (access(argv[1], F_OK) != 0)
        nanosleep(&pause, NULL);
    printf("done\n");
    return 0;
}
