// C++ exceptions thrown through several frames, for the cpp_throw / cpp_catch filters (issue 16).
// Throws a std::runtime_error three frames down and catches it in main, then a user type
// (a class in a namespace) caught by a base class, then an int. argv[1] = rounds of the first.
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace geo {
struct Failure {
    int code;
};
struct BadShape : Failure {
    const char *why;
};
}

static int depth3(int n) {
    if (n > 2) {
        throw std::runtime_error("too deep");
    }
    return n;
}

static int depth2(int n) {
    return depth3(n + 1) + 1;
}

static int depth1(int n) {
    return depth2(n + 1) + 1;
}

static void shape(int sides) {
    if (sides < 3) {
        geo::BadShape bad;
        bad.code = sides;
        bad.why = "fewer than three sides";
        throw bad;
    }
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 1;
    int caught = 0;
    for (int i = 0; i < rounds; i++) {
        try {
            depth1(i + 1);
        } catch (const std::exception &e) {
            caught++;
            printf("caught %s\n", e.what());
        }
    }
    try {
        shape(2);
    } catch (const geo::Failure &f) {
        caught++;
        printf("caught a failure %d\n", f.code);
    }
    try {
        throw 42;
    } catch (int v) {
        caught++;
        printf("caught int %d\n", v);
    }
    printf("caught %d\n", caught);
    return caught;
}
