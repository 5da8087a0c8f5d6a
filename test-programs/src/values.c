/* Values test program: every kind of C type, stopped at inspect()'s raise(SIGUSR1). */
#include <signal.h>
#include <stdio.h>
#include <string.h>

typedef unsigned int uint_t;
enum color { RED, GREEN = 5, BLUE };
struct point { int x; int y; };
struct flags { unsigned a : 3; unsigned b : 5; int c : 4; unsigned char d; };
union number { int i; float f; unsigned char bytes[4]; };
struct node { int value; struct node *next; const char *label; };
struct shape { struct point corners[2]; enum color color; union number tag; int (*area)(int, int); };

int global_counter = 42;
const char *global_name = "quiesce";
char global_buffer[16] = "buffer";
int global_matrix[2][3] = {{1, 2, 3}, {4, 5, 6}};
struct point global_point = {3, -4};
static double static_ratio = 2.5;
int big_array[300];
volatile int spin_flag = 1;

static int multiply(int a, int b) { return a * b; }

static void on_usr1(int sig) { (void) sig; }

__attribute__((noinline)) int inspect(int count, struct point *p, const char *text, struct node *list)
{
    char letter = 'a';
    short small = -7;
    long long wide = 1234567890123LL;
    unsigned char byte = 200;
    float ratio = 1.5f;
    double precise = 3.25;
    _Bool yes = 1;
    uint_t typed = 77;
    enum color color = GREEN;
    struct point local = {p->x + 1, p->y + 2};
    struct flags bits = {5, 17, -3, 'z'};
    union number num;
    num.i = 0x41424344;
    struct shape shape = {{{0, 0}, {4, 3}}, BLUE, {.f = 0.5f}, multiply};
    int vla[count];
    for (int i = 0; i < count; i++) {
        vla[i] = i * i;
    }
    int matrix[2][2] = {{1, 2}, {3, 4}};
    const volatile int cv = 9;
    int *ptr = &local.x;
    void *nothing = 0;
    int result = 0;
    {
        int inner = count * 2;
        raise(SIGUSR1); /* STOP HERE */
        result = inner + vla[count - 1] + letter + small + (int) wide + byte + (int) ratio + (int) precise + yes
                + typed + color + local.x + bits.a + num.i + shape.area(2, 3) + matrix[1][1] + cv + *ptr
                + (nothing != 0) + (int) strlen(text) + list->value;
    }
    return result;
}

int main(void)
{
    signal(SIGUSR1, on_usr1);
    struct point origin = {10, 20};
    struct node third = {3, NULL, "third"};
    struct node second = {2, &third, "second"};
    struct node first = {1, &second, "first"};
    for (int i = 0; i < 300; i++) {
        big_array[i] = i;
    }
    int r = inspect(5, &origin, "hello", &first);
    printf("%d %d %s %f\n", r, global_counter, global_name, static_ratio);
    return 0;
}
