/* Software watchpoints and children (issue 17): a fork child and a vfork child write the
 * watched page (a neighbour of the watched global) and exit with what they read back; the
 * parent then writes the global itself. Prints what each child's exit status was. */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

long neighbour;
int watched = 1;

static int status_text(pid_t pid, char *out, size_t n) {
    int st = 0;
    if (waitpid(pid, &st, 0) != pid)
        return snprintf(out, n, "lost");
    if (WIFEXITED(st))
        return snprintf(out, n, "exit=%d", WEXITSTATUS(st));
    return snprintf(out, n, "signal=%d", WTERMSIG(st));
}

int main(void) {
    char forked[32], vforked[32];
    neighbour = 1;
    pid_t child = fork();
    if (child == 0) {
        neighbour = 5; /* the child's own copy of the watched page */
        _exit((int)neighbour);
    }
    status_text(child, forked, sizeof forked);
    child = vfork();
    if (child == 0) {
        neighbour = 6; /* the parent's page itself: vfork shares the memory */
        _exit(6);
    }
    status_text(child, vforked, sizeof vforked);
    watched = 2;
    printf("fork child %s, vfork child %s, neighbour=%ld watched=%d\n", forked, vforked, neighbour, watched);
    return 0;
}
