/* signals: one handler counts SIGUSR1, SIGUSR2 and SIGHUP, raised in that order;
 * the exit code is how many times it ran. With SIGHUP's policy "no pass" it is 2. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

static volatile sig_atomic_t handled;

static void handler(int sig)
{
    (void) sig;
    handled++;
}

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGUSR2, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    raise(SIGUSR1);
    raise(SIGUSR2);
    raise(SIGHUP);
    printf("handler ran %d times\n", (int) handled);
    return handled;
}
