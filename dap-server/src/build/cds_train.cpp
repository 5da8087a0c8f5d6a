// The C++ program of the CDS training session (dap-server/src/build/cds-train.sh; cds_train.c when
// there is no C++ compiler): a call, a loop, a struct array, and a std::vector, std::map and
// std::string in the stopped frame, so the session loads the C and the standard-library value
// classes a user's first Variables view needs.
#include <cstdio>
#include <map>
#include <string>
#include <vector>
struct point { int x, y; };
static int sum(const struct point *p, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += p[i].x * p[i].y;
    return total;
}
int main()
{
    struct point points[3] = {{1, 2}, {3, 4}, {5, 6}};
    const char *name = "training";
    std::vector<int> numbers(300, 7);
    std::map<int, int> squares;
    for (int i = 0; i < 300; i++)
        squares[i] = i * i;
    std::string text(300, 'q');
    int total = sum(points, 3);
    std::printf("%s: %d %zu %zu %zu\n", name, total, numbers.size(), squares.size(), text.size()); // CDS STOP
    return 0;
}
