/* Loads libplugin.so with dlopen (path in argv[1]), calls plugin_work, unloads it. */
#include <dlfcn.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: dlopen_main LIBRARY\n");
        return 2;
    }
    void *lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) {
        fprintf(stderr, "dlopen: %s\n", dlerror());
        return 1;
    }
    int (*work)(int) = (int (*)(int))dlsym(lib, "plugin_work");
    int r = work(13);
    printf("plugin_work(13) = %d\n", r);
    dlclose(lib);
    puts("unloaded");
    return 0;
}
