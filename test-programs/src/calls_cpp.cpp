// C++ member functions for the expression-call tests (CallsTest).
#include <cstdio>
#include <string>

struct Shape {
    int id;
    explicit Shape(int i) : id(i) {}
    virtual ~Shape() {}
    virtual double area() const { return 0; }
    __attribute__((noinline)) int ident(int plus) const { return id + plus; }  // non-virtual
};

struct Rect : Shape {
    double w, h;
    Rect(int i, double w_, double h_) : Shape(i), w(w_), h(h_) {}
    double area() const override { return w * h; }
    double scaled(double k) { w *= k; h *= k; return area(); }
};

struct Square : Rect {
    explicit Square(int i, double s) : Rect(i, s, s) {}
    double area() const override { return w * w + 0.5; }
};

// Non-trivial copy constructor and destructor (the std::string's): passed and returned through
// a hidden reference under the Itanium C++ ABI, even when small.
struct Named {
    std::string text;
    int n;
};
struct Counted { // 4 bytes, yet by reference: a user-provided destructor
    int v;
    ~Counted() { v = -1; }
};
__attribute__((noinline)) int named_length(Named x) { return (int) x.text.size() * 100 + x.n; }
__attribute__((noinline)) Named make_named(int n) { return Named{std::string(n, 'x'), n}; }
__attribute__((noinline)) int counted_twice(Counted c) { return c.v * 2; }
__attribute__((noinline)) Counted make_counted(int v) { return Counted{v}; }
__attribute__((noinline)) int over(int x) { return x + 1; }
__attribute__((noinline)) double over(double x) { return x * 2; }
__attribute__((noinline)) long over(const char *s) { return (long) std::string(s).size(); }
Named global_named{"a longer text than fits in the string", 3};
Counted global_counted{21};

__attribute__((noinline)) void stop_here(Shape &s, Shape *p) {
    std::printf("stopped with %d and %d\n", s.id, p->id);
}

int main(int argc, char **) {
    Rect obj(7, 2.0, 3.5);
    Square sq(9, 3.0);
    Shape *p = &sq;
    if (argc > 5) {
        obj.scaled(1); // emitted, so that the debugger can call it
        Named copy = global_named; // emits Named's copy constructor, which gdb runs to pass a Named
        std::printf("%d %d %d %d %g %ld\n", named_length(copy), named_length(make_named(2)), counted_twice(make_counted(1)), over(1), over(1.5),
                    over("x"));
    }
    stop_here(obj, p);
    std::printf("areas %.1f %.1f ident %d\n", obj.area(), p->area(), obj.ident(0));
    return 0;
}
