/* M extension (unprivileged spec chapter 7) incl. division by zero and overflow. */
#include "spcore_test.h"
TEST_BEGIN
    li a0, -7
    li a1, 3
    mul a2, a0, a1
    CHECK 1, a2, -21
    div a2, a0, a1                        /* rounds toward zero */
    CHECK 2, a2, -2
    rem a2, a0, a1                        /* sign of the dividend */
    CHECK 3, a2, -1
    divu a2, a1, a0
    CHECK 4, a2, 0
    remu a2, a1, a0
    CHECK 5, a2, 3
    li a3, 0
    div a2, a0, a3                        /* x / 0 = -1 */
    CHECK 6, a2, -1
    divu a2, a0, a3
    CHECK 7, a2, -1
    rem a2, a0, a3                        /* x % 0 = x */
    CHECK 8, a2, -7
    remu a2, a0, a3
    CHECK 9, a2, -7
    li a4, X(0x80000000, 0x8000000000000000)
    li a5, -1
    div a2, a4, a5                        /* overflow: most negative / -1 */
    CHECK 10, a2, X(0x80000000, 0x8000000000000000)
    rem a2, a4, a5
    CHECK 11, a2, 0
    mulh a2, a4, a4                       /* (-2^(n-1))^2 = 2^(2n-2): high = 2^(n-2) */
    CHECK 12, a2, X(0x40000000, 0x4000000000000000)
    mulhu a2, a5, a5                      /* (2^n-1)^2 high = 2^n - 2 */
    CHECK 13, a2, -2
    mulhsu a2, a5, a5                     /* -1 * (2^n-1): high = -1 */
    CHECK 14, a2, -1
    mulhsu a2, a1, a5                     /* 3 * (2^n-1): high = 2 */
    CHECK 15, a2, 2
    mulh a2, a0, a1                       /* -21: high = -1 */
    CHECK 16, a2, -1
    mulhu a2, a0, a1                      /* (2^n-7)*3 high = 2 */
    CHECK 17, a2, 2
    li a0, 0x12345
    li a1, 0x6789
    mul a2, a0, a1
    CHECK 18, a2, 0x12345 * 0x6789
#if XLEN == 64
    li a0, 0x80000000
    li a1, 2
    mulw a2, a0, a1                       /* low 32 bits = 0 */
    CHECK 20, a2, 0
    li a0, 0x40000000
    mulw a2, a0, a1
    CHECK 21, a2, 0xffffffff80000000
    li a0, 0xffffffff80000000
    li a1, -1
    divw a2, a0, a1                       /* 32-bit overflow */
    CHECK 22, a2, 0xffffffff80000000
    remw a2, a0, a1
    CHECK 23, a2, 0
    li a0, 0x1fffffff9                    /* low word -7 */
    li a1, 0x100000002                    /* low word 2 */
    divw a2, a0, a1
    CHECK 24, a2, -3
    remw a2, a0, a1
    CHECK 25, a2, -1
    divuw a2, a0, a1                      /* 0xfffffff9 / 2 = 0x7ffffffc */
    CHECK 26, a2, 0x7ffffffc
    remuw a2, a0, a1
    CHECK 27, a2, 1
    divuw a2, a0, zero
    CHECK 28, a2, -1
    remuw a2, a0, zero                    /* sext of the low word */
    CHECK 29, a2, -7
    divw a2, a0, zero
    CHECK 30, a2, -1
    remw a2, a0, zero
    CHECK 31, a2, -7
#endif
TEST_PASS
