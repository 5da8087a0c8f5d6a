// C++ member functions for the expression-call tests (CallsTest).
#include <cstdio>

struct Shape {
    int id;
    explicit Shape(int i) : id(i) {}
    virtual ~Shape() {}
    virtual double area() const { return 0; }
    int ident(int plus) const { return id + plus; }  // non-virtual
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

void stop_here(Shape &s, Shape *p) {
    std::printf("stopped with %d and %d\n", s.id, p->id);
}

int main(int argc, char **) {
    Rect obj(7, 2.0, 3.5);
    Square sq(9, 3.0);
    Shape *p = &sq;
    if (argc > 5) {
        obj.scaled(1); // emitted, so that the debugger can call it
    }
    stop_here(obj, p);
    std::printf("areas %.1f %.1f ident %d\n", obj.area(), p->area(), obj.ident(0));
    return 0;
}
