/* step_signals: a line that raises SIGUSR1 (its handler counts) is stepped over with next; the
 * step must end on the following line, not inside the handler. Keep line numbers stable. */
#include <signal.h>
#include <stdio.h>

volatile int handled;

static void on_usr1(int sig)
{
    handled += sig;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    raise(SIGUSR1);
    printf("handled %d\n", handled);
    return handled == SIGUSR1 ? 0 : 1;
}
