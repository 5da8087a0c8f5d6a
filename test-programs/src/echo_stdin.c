/* echo_stdin: says whether stdin is a terminal, then echoes each line it reads ("read: LINE")
 * until end of file or a line "quit"; exits 0. A program that needs what the user types. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void)
{
    printf("stdin is %s\n", isatty(0) ? "a terminal" : "not a terminal");
    fflush(stdout);
    char line[256];
    int lines = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        lines++;
        if (strcmp(line, "quit") == 0)
            break;
        printf("read: %s\n", line); /* line echoed */
        fflush(stdout);
    }
    printf("lines: %d\n", lines);
    return 0;
}
