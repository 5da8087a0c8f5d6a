// bench/run --values: one frame holding a 10^6-element vector, a 10^5-entry map and a long string,
// stopped at a line breakpoint on the marked line; ValuesBench times `variables` on it.
#include <map>
#include <string>
#include <vector>

__attribute__((noinline)) static void use(const void *p) { asm volatile("" : : "r"(p) : "memory"); }

int main()
{
    std::vector<int> big(1000000);
    for (int i = 0; i < (int) big.size(); i++) {
        big[i] = i;
    }
    std::map<int, int> table;
    for (int i = 0; i < 100000; i++) {
        table[i] = 2 * i;
    }
    std::string text(100000, 'q');
    text += "end";
    use(&big); use(&table); use(&text);
    return (int) (big.size() + table.size() + text.size()) == 0; // BENCH STOP
}
