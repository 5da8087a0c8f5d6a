/* The program of the CDS training session (dap-server/src/build/cds-train.sh and the VS Code extension): a call, a loop
   and locals, so a session stops at a breakpoint, walks the stack and reads values. */
#include <stdio.h>
struct point { int x, y; };
static int sum(const struct point *p, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += p[i].x * p[i].y;
    return total;
}
int main(void)
{
    struct point points[3] = {{1, 2}, {3, 4}, {5, 6}};
    const char *name = "training";
    int total = sum(points, 3);
    printf("%s: %d\n", name, total);
    return 0;
}
