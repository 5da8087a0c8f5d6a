/* exec_thread: three threads; the third execs /bin/true while the others run. Exits 0 (true's code). */
#include <pthread.h>
#include <unistd.h>

static void *spin(void *arg)
{
    (void) arg;
    for (;;)
        usleep(1000);
    return NULL;
}

static void *exec_true(void *arg)
{
    (void) arg;
    usleep(20000);
    char *argv[] = {"/bin/true", NULL};
    execv("/bin/true", argv);
    return NULL;
}

int main(void)
{
    pthread_t a, b;
    pthread_create(&a, NULL, spin, NULL);
    pthread_create(&b, NULL, exec_true, NULL);
    spin(NULL);
    return 1;
}
