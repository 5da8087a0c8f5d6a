// C++ exceptions through several frames for cpp_throw / cpp_catch (issue 16): std::runtime_error 3 frames deep (argv[1] times), geo::BadShape caught
// by its base, an int, a std::out_of_range rethrown from a std::exception_ptr (a dependent exception). Exits with the number caught.
#include <cstdio>
#include <cstdlib>
#include <exception>
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
    try {
        std::rethrow_exception(std::make_exception_ptr(std::out_of_range("stored")));
    } catch (const std::logic_error &e) {
        caught++;
        printf("caught a rethrown %s\n", e.what());
    }
    printf("caught %d\n", caught);
    return caught;
}
