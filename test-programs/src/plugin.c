/* A shared library that dlopen_main loads at run time (symbols of late-loaded libraries). */
#include <stdio.h>

int plugin_calls;

int plugin_work(int v)
{
    plugin_calls++;
    return v * 3 + 1;
}
