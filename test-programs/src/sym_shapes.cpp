// C++ symbols test program: namespaces, classes with virtual methods, templates, inline
// functions, a lambda. Built at -O0 and -O2. Keep line numbers stable: tests name them.
#include <cstdio>
#include <vector>

namespace geo {

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
};

class Rect : public Shape {
public:
    Rect(double w, double h) : w_(w), h_(h) {}
    double area() const override { return w_ * h_; }

private:
    double w_;
    double h_;
};

namespace detail {
template <typename T>
T twice(T v)
{
    return v + v;
}
} // namespace detail

inline int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

template <typename T, int N>
struct Grid {
    T cells[N];
    T total() const
    {
        T t = T();
        for (int i = 0; i < N; i++)
            t += cells[i];
        return t;
    }
};

} // namespace geo

static double total_area(const std::vector<geo::Shape *> &shapes)
{
    double sum = 0;
    for (const geo::Shape *s : shapes)
        sum += s->area();
    return sum;
}

int main(int argc, char **)
{
    geo::Rect a(2, 3), b(4, 5);
    std::vector<geo::Shape *> shapes{&a, &b};
    geo::Grid<int, 4> grid{{1, 2, 3, 4}};
    auto scale = [argc](double v) { return v * argc; };
    double t = total_area(shapes);
    int c = geo::clamp(argc * 100, 0, 50);
    std::printf("%g %d %g %d %d\n", t, geo::detail::twice(argc), scale(t), c, grid.total());
    return 0;
}
