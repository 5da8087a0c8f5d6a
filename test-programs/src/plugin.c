/* A shared library that dlopen_main loads at run time (symbols of late-loaded libraries). */
#include <stdio.h>

int plugin_calls; __thread int plugin_tl = 7; void plugin_touched(void); /* dynamic TLS (dlopen) */

int plugin_work(int v)
{
    plugin_calls++; plugin_tl += v; plugin_touched();
    return v * 3 + 1;
}

/* A breakpoint here sees plugin_tl allocated in the thread (ConditionNamesTest). */
void plugin_touched(void)
{
}
