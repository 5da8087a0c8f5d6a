/* fork_follow [fork | clone | vfork PROGRAM ARGS...] (issue 18, followForks):
 *   fork:  the child calls child_work() (it prints a line) and exits 7;
 *   clone: the same child made by clone() without CLONE_VM and with no exit signal (the kernel
 *          reports it to a tracer as a CLONE event, not a FORK one);
 *   vfork: the child execs PROGRAM ARGS.
 * The parent calls parent_work(), then waits for the child with WUNTRACED and prints its status and
 * how many job-control stops of it the wait reported: a debugger's handover of the child must
 * show none (untraced, the child never stops). */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int counter;
static pid_t parent;
static char clone_stack[64 * 1024];

__attribute__((noinline)) int child_work(int x)
{
    counter += x; /* CHILD_LINE */
    printf("child says %d\n", counter);
    fflush(stdout);
    return counter;
}

__attribute__((noinline)) int parent_work(int x)
{
    counter += 2 * x; /* PARENT_LINE */
    return counter;
}

static int cloned(void *arg)
{
    (void)arg;
    return child_work(getppid() == parent ? 7 : 50);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "fork";
    parent = getpid();
    pid_t child;
    fflush(stdout);
    if (strcmp(mode, "vfork") == 0 && argc > 2) {
        child = vfork();
        if (child == 0) {
            execv(argv[2], argv + 2);
            _exit(127);
        }
    } else if (strcmp(mode, "clone") == 0) {
        child = clone(cloned, clone_stack + sizeof clone_stack, 0, NULL);
    } else {
        child = fork();
        if (child == 0)
            _exit(child_work(getppid() == parent ? 7 : 50));
    }
    if (child < 0) {
        perror("fork");
        return 2;
    }
    parent_work(1);
    int status = 0, stops = 0;
    for (;;) {
        if (waitpid(child, &status, WUNTRACED | __WALL) != child) {
            perror("waitpid");
            return 2;
        }
        if (!WIFSTOPPED(status))
            break;
        stops++;
        kill(child, SIGCONT);
    }
    if (WIFEXITED(status))
        printf("parent: child exit=%d stops=%d\n", WEXITSTATUS(status), stops);
    else
        printf("parent: child signal=%d stops=%d\n", WTERMSIG(status), stops);
    return 0;
}
