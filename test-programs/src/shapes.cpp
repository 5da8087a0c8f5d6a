// shapes: a small C++ program (classes, virtual calls, templates, std::string).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace geo {

struct Shape {
    virtual ~Shape() = default;
    virtual double area() const = 0;
    virtual std::string name() const = 0;
};

struct Rect : Shape {
    double w, h;
    Rect(double w, double h) : w(w), h(h) {}
    double area() const override { return w * h; }
    std::string name() const override { return "rect"; }
};

struct Circle : Shape {
    double r;
    explicit Circle(double r) : r(r) {}
    double area() const override { return 3.14159265358979 * r * r; }
    std::string name() const override { return "circle"; }
};

template <typename T>
T total_area(const std::vector<std::unique_ptr<Shape>> &shapes)
{
    T sum = 0;
    for (const auto &s : shapes)
        sum += static_cast<T>(s->area());
    return sum;
}

} // namespace geo

int main()
{
    std::vector<std::unique_ptr<geo::Shape>> shapes;
    shapes.push_back(std::make_unique<geo::Rect>(2, 3));
    shapes.push_back(std::make_unique<geo::Circle>(1));
    for (const auto &s : shapes)
        std::cout << s->name() << " " << s->area() << "\n";
    std::cout << "total " << geo::total_area<double>(shapes) << std::endl;
    return 0;
}
