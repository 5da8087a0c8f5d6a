// Values test program, C++: classes with inheritance, static members, references.
#include <csignal>
#include <cstdio>

namespace geo {
struct Base {
    int id;
    static int instances;
    Base(int i) : id(i) { instances++; }
};
int Base::instances = 0;

class Circle : public Base {
public:
    double radius;
    bool filled;
    Circle(int i, double r) : Base(i), radius(r), filled(true) {}
};
}

static void on_usr1(int) {}

__attribute__((noinline)) int inspect(geo::Circle &ref, const geo::Circle *cp, int &count)
{
    geo::Circle local(7, 1.25);
    int values[3] = {10, 20, 30};
    int &alias = values[1];
    raise(SIGUSR1); // STOP HERE
    return ref.id + cp->id + count + local.id + alias + geo::Base::instances;
}

int main()
{
    std::signal(SIGUSR1, on_usr1);
    geo::Circle c(1, 2.5);
    int n = 3;
    int r = inspect(c, &c, n);
    std::printf("%d\n", r);
    return 0;
}
