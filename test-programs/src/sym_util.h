#ifndef SYM_UTIL_H
#define SYM_UTIL_H

static inline int util_abs(int v)
{
    return v < 0 ? -v : v;
}

int util_distance(int x, int y);

#endif
