/* RV32I/RV64I integer computational instructions (unprivileged spec 2.4, 5.2). */
#include "spcore_test.h"
TEST_BEGIN
    lui a0, 0x12345
    CHECK 1, a0, 0x12345000
    lui a0, 0x80000                       /* RV64: sign-extended */
    CHECK 2, a0, X(0x80000000, 0xffffffff80000000)
1:  auipc a1, 0x1
    la a2, 1b
    sub a1, a1, a2
    CHECK 3, a1, 0x1000
    li a0, 5
    addi a1, a0, -7
    CHECK 4, a1, -2
    addi a1, zero, 2047
    CHECK 5, a1, 2047
    li a0, -3
    slti a1, a0, -2
    CHECK 6, a1, 1
    slti a1, a0, -3
    CHECK 7, a1, 0
    sltiu a1, a0, -2                      /* unsigned: 0x..fd < 0x..fe */
    CHECK 8, a1, 1
    sltiu a1, a0, 5
    CHECK 9, a1, 0
    li a0, 0x0f0
    xori a1, a0, -1
    CHECK 10, a1, ~0x0f0
    ori a1, a0, 0x70f
    CHECK 11, a1, 0x7ff
    andi a1, a0, 0x3c
    CHECK 12, a1, 0x030
    li a0, 0x81
    slli a1, a0, 4
    CHECK 13, a1, 0x810
    li a0, -16
    srli a1, a0, 2
    CHECK 14, a1, X(0x3ffffffc, 0x3ffffffffffffffc)
    srai a1, a0, 2
    CHECK 15, a1, -4
    slli a1, a0, X(31, 63)
    CHECK 16, a1, 0
    li a0, 1
    slli a1, a0, X(31, 63)
    srai a2, a1, X(31, 63)
    CHECK 17, a2, -1
    li a0, 100
    li a2, -58
    add a1, a0, a2
    CHECK 18, a1, 42
    sub a1, a2, a0
    CHECK 19, a1, -158
    li a0, 3
    li a2, X(33, 65)                      /* shift amount uses the low log2(XLEN) bits */
    sll a1, a0, a2
    CHECK 20, a1, 6
    li a0, -1
    li a2, 1
    slt a1, a0, a2
    CHECK 21, a1, 1
    sltu a1, a0, a2
    CHECK 22, a1, 0
    sltu a1, zero, a2                     /* snez */
    CHECK 23, a1, 1
    li a0, 0x5a5a
    li a2, 0x0ff0
    xor a1, a0, a2
    CHECK 24, a1, 0x55aa
    or a1, a0, a2
    CHECK 25, a1, 0x5ffa
    and a1, a0, a2
    CHECK 26, a1, 0x0a50
    li a0, -256
    li a2, 4
    srl a1, a0, a2
    CHECK 27, a1, X(0x0ffffff0, 0x0ffffffffffffff0)
    sra a1, a0, a2
    CHECK 28, a1, -16
    add zero, a0, a2                      /* x0 stays 0 */
    CHECK 29, zero, 0
#if XLEN == 64
    li a0, 0x7fffffff
    addiw a1, a0, 1                       /* 32-bit wrap, sign-extended */
    CHECK 30, a1, 0xffffffff80000000
    li a0, 0x100000001
    addiw a1, a0, 0
    CHECK 31, a1, 1
    li a0, 0x3
    slliw a1, a0, 31
    CHECK 32, a1, 0xffffffff80000000
    li a0, 0xf0000000f0000000
    srliw a1, a0, 4
    CHECK 33, a1, 0x0f000000
    sraiw a1, a0, 4
    CHECK 34, a1, 0xffffffffff000000
    li a0, 0x7fffffff
    li a2, 1
    addw a1, a0, a2
    CHECK 35, a1, 0xffffffff80000000
    li a0, 0
    subw a1, a0, a2
    CHECK 36, a1, -1
    li a0, 1
    li a2, 63                             /* *w shifts use 5 bits: 63 -> 31 */
    sllw a1, a0, a2
    CHECK 37, a1, 0xffffffff80000000
    li a0, 0x80000000
    li a2, 32 + 3
    srlw a1, a0, a2
    CHECK 38, a1, 0x10000000
    sraw a1, a0, a2
    CHECK 39, a1, 0xfffffffff0000000
    li a0, 0x123456789
    srli a1, a0, 32
    CHECK 40, a1, 1
    srai a1, a0, 33
    CHECK 41, a1, 0
    slli a1, a0, 32
    CHECK 42, a1, 0x2345678900000000
#endif
TEST_PASS
