/* Second compilation unit of the symbols test program. */
#include "sym_util.h"

int util_distance(int x, int y)
{
    int dx = util_abs(x);
    int dy = util_abs(y);
    return dx + dy;
}
