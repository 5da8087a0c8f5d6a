/* Software watchpoints by page protection (issue 17) and the kernel's copies: read() from a
 * file into a buffer that ends on the watched page. With the page protected the kernel copies
 * up to it and returns a short count (a file read does not fail with EFAULT once it has copied
 * something); the program must see the whole read, as untraced. */
#include <stdio.h>
#include <unistd.h>

static struct {
    char lead[4096];
    int value;
    int other;
} pair __attribute__((aligned(4096)));

int main(void) {
    FILE *f = tmpfile();
    const char data[8] = {'a', 'b', 'c', 'd', 1, 0, 0, 0};
    if (f == NULL || fwrite(data, 1, sizeof data, f) != sizeof data || fflush(f) != 0)
        return 2;
    int fd = fileno(f);
    lseek(fd, 0, SEEK_SET);
    pair.other = 1;
    char *buffer = (char *)&pair + 4092;
    long n = read(fd, buffer, 8); /* 4 bytes before the watched page, 4 on it */
    printf("read=%ld lead=%.4s value=%d other=%d\n", n, buffer, pair.value, pair.other);
    return 0;
}
