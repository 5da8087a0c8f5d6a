/* getppid_loop [N]: N getppid() syscalls, then one write. The syscall-catch benchmark target. */
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 200000;
    for (long i = 0; i < n; i++)
        syscall(SYS_getppid);
    write(1, "done\n", 5);
    return 0;
}
