// For completions, gotoTargets/goto and stepInTargets (issue 16): a line making four calls,
// structs reached through . and ->, a global and a file static.
#include <stdio.h>
#include <string.h>

struct point {
    int x;
    int y;
};

struct shape {
    struct point origin;
    struct point *corner;
    const char *name;
};

int counter = 0;
static int hidden_total = 7;

static int square(int v) {
    counter++;
    return v * v;
}

static int twice(int v) {
    counter++;
    return 2 * v;
}

static int add(int a, int b) {
    return a + b + hidden_total - 7;
}

int main(int argc, char **argv) {
    struct point corner = {3, 4};
    struct shape sq = {{1, 2}, &corner, "square"};
    struct shape *sp = &sq;
    int total = 0;
    total = add(square(argc + 1), twice(sp->corner->x)) + (int) strlen(sq.name); // CALLS
    total += 1; // NEXT
    if (argc > 5) {
        total = -1;
    }
    printf("total %d counter %d\n", total, counter); // PRINT
    return argv[0] == NULL;
}
