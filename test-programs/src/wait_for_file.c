/* wait_for_file PATH: prints "waiting for PATH", runs until PATH exists, prints "done", exits 0.
 * Lets a test see output that arrives while the program is still running. */
#include <stdio.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: wait_for_file PATH\n");
        return 2;
    }
    printf("waiting for %s\n", argv[1]);
    fflush(stdout);
    struct timespec pause = {0, 1000000};
    while (access(argv[1], F_OK) != 0)
        nanosleep(&pause, NULL);
    printf("done\n");
    return 0;
}
