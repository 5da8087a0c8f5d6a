/* vector_regs: puts a known double in xmm0 and a known pattern in the upper half of ymm1,
 * then calls hit_me() (a test breakpoints it and reads the registers). Built -no-pie, -mavx. */
#include <immintrin.h>
#include <stdio.h>

__attribute__((noinline)) void hit_me(void)
{
    __asm__ volatile("" ::: "memory");
}

int main(void)
{
    __m256d pattern = _mm256_set_pd(4.0, 3.0, 2.0, 1.0); /* upper half: 3.0, 4.0 */
    double d = 2.5;
    __asm__ volatile("vmovapd %0, %%ymm1\n\tvmovsd %1, %%xmm0\n\tcall hit_me"
                     : : "x"(pattern), "m"(d) : "xmm0", "xmm1", "memory");
    printf("done\n");
    return 0;
}
