/* Loads and stores (unprivileged spec 2.6, 5.3): widths, sign/zero extension, offsets. */
#include "spcore_test.h"
TEST_BEGIN
    la s0, buf
    li a0, 0x8c
    sb a0, 0(s0)
    li a0, 0x7e
    sb a0, 1(s0)
    li a0, 0xa1b2
    sh a0, 2(s0)
    lb a1, 0(s0)
    CHECK 1, a1, -0x74                    /* 0x8c sign-extended */
    lbu a1, 0(s0)
    CHECK 2, a1, 0x8c
    lb a1, 1(s0)
    CHECK 3, a1, 0x7e
    lh a1, 2(s0)
    CHECK 4, a1, -0x5e4e                  /* 0xa1b2 sign-extended */
    lhu a1, 2(s0)
    CHECK 5, a1, 0xa1b2
    lh a1, 0(s0)
    CHECK 6, a1, 0x7e8c                   /* little-endian */
    lw a1, 0(s0)
    CHECK 7, a1, X(0xa1b27e8c, 0xffffffffa1b27e8c)
    li a0, 0x01234567
    sw a0, 4(s0)
    lw a1, 4(s0)
    CHECK 8, a1, 0x01234567
    addi s1, s0, 16
    sw a0, -8(s1)                         /* negative offset */
    lw a1, 8(s0)
    CHECK 9, a1, 0x01234567
    lbu a1, -5(s1)                        /* byte 11 = 0x01 */
    CHECK 10, a1, 0x01
    sh zero, 6(s0)
    lw a1, 4(s0)
    CHECK 11, a1, 0x4567
    sb zero, 0(s0)
    lw a1, 0(s0)
    CHECK 12, a1, X(0xa1b27e00, 0xffffffffa1b27e00)
#if XLEN == 64
    li a0, 0xfedcba9876543210
    sd a0, 16(s0)
    ld a1, 16(s0)
    CHECK 13, a1, 0xfedcba9876543210
    lw a1, 20(s0)
    CHECK 14, a1, 0xfffffffffedcba98
    lwu a1, 20(s0)
    CHECK 15, a1, 0xfedcba98
    lwu a1, 16(s0)
    CHECK 16, a1, 0x76543210
    lhu a1, 22(s0)
    CHECK 17, a1, 0xfedc
    lb a1, 23(s0)
    CHECK 18, a1, -2
    sd zero, -8(s1)
    ld a1, 8(s0)
    CHECK 19, a1, 0
#endif
TEST_PASS
    .data
    .align 3
buf: .fill 8, 4, 0
