// STL values test program: every standard container/utility the formatters know, stopped at
// inspect()'s raise(SIGUSR1). Built with g++ (libstdc++) at -O0 and -O2, and with clang++-16
// -stdlib=libc++. Values are compared with gdb's print (libstdc++ printers) by StlValuesTest.
#include <array>
#include <csignal>
#include <deque>
#include <forward_list>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <variant>
#include <vector>

static void on_usr1(int) {}

static int twice(int x) { return 2 * x; }

struct Point {
    int x;
    int y;
};

__attribute__((noinline)) static void use(const void *p) { asm volatile("" : : "r"(p) : "memory"); }

__attribute__((noinline)) int inspect(std::vector<int> &big)
{
    std::string s = "hello";
    std::string long_s(40, 'x');
    long_s += "tail"; std::string runs_s = std::string(150, 'a') + std::string(100, 'b') + "end"; // gdb fetches 200 chars
    std::string empty_s;
    std::string_view sv = "view of it";
    std::vector<int> v = {1, 2, 3, 4, 5};
    std::vector<int> empty_v;
    std::vector<int> moved_from = {7, 8, 9};
    std::vector<int> moved_to = std::move(moved_from);
    std::vector<bool> bits = {true, false, true, true, false};
    std::vector<std::string> names = {"alpha", "beta"};
    std::vector<Point> points = {{1, 2}, {3, 4}};
    std::array<int, 4> arr = {10, 20, 30, 40};
    std::deque<int> dq = {5, 6, 7};
    std::list<int> lst = {11, 12, 13};
    std::forward_list<int> fl = {21, 22};
    std::map<int, std::string> m = {{1, "one"}, {2, "two"}, {3, "three"}};
    std::map<std::string, int> sm = {{"a", 1}, {"b", 2}};
    std::set<int> st = {3, 1, 2};
    std::multimap<int, int> mm = {{1, 10}, {1, 11}, {2, 20}};
    std::multiset<int> ms = {4, 4, 5};
    std::unordered_map<int, int> um = {{1, 100}};
    std::unordered_set<int> us = {42};
    std::unordered_multimap<int, int> umm = {{5, 50}};
    std::unordered_multiset<int> ums = {6};
    std::unique_ptr<int> up = std::make_unique<int>(99);
    std::unique_ptr<int> null_up;
    std::shared_ptr<int> sp = std::make_shared<int>(77);
    std::shared_ptr<int> sp2 = sp;
    std::weak_ptr<int> wp = sp;
    std::shared_ptr<int> null_sp;
    std::optional<int> opt = 5;
    std::optional<int> no_opt;
    std::variant<int, std::string> var = std::string("alt");
    std::tuple<int, double, char> tup = {1, 2.5, 'c'};
    std::pair<int, std::string> pr = {7, "seven"};
    std::function<int(int)> fn = twice;
    std::function<int(int)> empty_fn;
    std::map<int, std::string>::iterator mit = m.find(2);
    std::vector<int>::iterator vit = v.begin() + 1;
    std::list<int>::iterator lit = lst.begin();
    use(&runs_s); use(&s); use(&long_s); use(&empty_s); use(&sv); use(&v); use(&empty_v); use(&moved_from); use(&moved_to);
    use(&bits); use(&names); use(&points); use(&arr); use(&dq); use(&lst); use(&fl); use(&m); use(&sm); use(&st);
    use(&mm); use(&ms); use(&um); use(&us); use(&umm); use(&ums); use(&up); use(&null_up); use(&sp); use(&sp2);
    use(&wp); use(&null_sp); use(&opt); use(&no_opt); use(&var); use(&tup); use(&pr); use(&fn); use(&empty_fn);
    use(&mit); use(&vit); use(&lit);
    raise(SIGUSR1); // STOP HERE
    return (int) (v.size() + big.size() + s.size() + m.size());
}

int main()
{
    std::signal(SIGUSR1, on_usr1);
    std::vector<int> big(1000000);
    for (int i = 0; i < (int) big.size(); i++) {
        big[i] = i;
    }
    return inspect(big) == 0;
}
