// Names test program, C++: methods, constructors, templates and lambdas (breakpoint placement),
// members without this->, static members, typedefs, enumerators, casts, thread-locals, a
// global read from a libc frame. Keep line numbers stable: tests name them.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <pthread.h>
#include <unistd.h>

namespace ns {
class Shape {
public:
    virtual ~Shape() {}
    virtual int sides() const { return 0; }
};

class Square : public Shape {
public:
    explicit Square(int side) : side_(side) { made++; }
    int sides() const override { return 4; }
    int area() const
    {
        int a = side_ * side_;
        return a + kind_ * 0;
    }
    enum Kind { FLAT, SOLID };
    static int made;
    int side_;
    Kind kind_ = SOLID;
};
int Square::made = 0;

template <typename T>
T twice(T v)
{
    T r = v + v;
    return r;
}
} // namespace ns

typedef ns::Square Table;
__thread int tl = 5;
int counter = 42;
static int file_static = 7;
int numbers[5] = {1, 2, 3, 4, 5};
volatile int go_on = 0; enum class Color { Red, Green }; Color color = Color::Green;

static void *worker(void *arg)
{
    tl = 100 + (int)(long)arg;
    do
        usleep(1000); // a thread paused in libc (at least once: ConditionNamesTest stops there)
    while (!go_on); return nullptr;
}

int main()
{
    pthread_t t;
    pthread_create(&t, nullptr, worker, (void *)1);
    ns::Square sq(3);
    ns::Shape *shape = &sq;
    int *p = numbers; Table *tp = &sq; (void)tp;
    auto add = [&](int x) {
        int sum = x + sq.side_;
        return sum;
    };
    errno = ENOENT;
    int r = sq.area() + ns::twice(2) + add(1) + ns::twice(1.5) + *p + file_static + counter + tl;
    std::printf("%d %d\n", r, shape->sides()); // STOP HERE
    go_on = 1;
    pthread_join(t, nullptr);
    return 0;
}
