/* forker [N]: N times: fork a child that calls hit_me() and exits 0, and posix_spawn /bin/true
 * (vfork inside glibc). A test breakpoints hit_me in the parent: if an int3 byte were left in
 * the fork child's copy, the child would die of SIGTRAP and we exit 1. Built -no-pie. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

__attribute__((noinline)) int hit_me(int x)
{
    return x + 1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 20;
    int failures = 0;
    for (int i = 0; i < n; i++) {
        hit_me(i);
        pid_t child = fork();
        if (child == 0)
            _exit(hit_me(i) == i + 1 ? 0 : 3);
        int status;
        waitpid(child, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
            failures++;
        pid_t spawned;
        char *args[] = {"/bin/true", NULL};
        if (posix_spawn(&spawned, "/bin/true", NULL, NULL, args, environ) == 0) {
            waitpid(spawned, &status, 0);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                failures++;
        }
    }
    printf("%d children, %d failures\n", 2 * n, failures);
    return failures == 0 ? 0 : 1;
}
