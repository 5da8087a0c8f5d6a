/* syscalls: openat("/dev/null", O_WRONLY), write "hello\n", close, then an openat that fails
 * with ENOENT. Exits 0. */
#include <fcntl.h>
#include <unistd.h>

int main(void)
{
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0)
        return 1;
    if (write(fd, "hello\n", 6) != 6)
        return 2;
    close(fd);
    if (open("/nonexistent/x", O_RDONLY) >= 0)
        return 3;
    return 0;
}
