/* Control transfer (unprivileged spec 2.5), fence and fence.i (2.7, chapter 3). */
#include "spcore_test.h"
TEST_BEGIN
    jal ra, 1f                            /* ra = address after the jal */
r1: j 2f
1:  la a0, r1
    CHECKR 1, ra, a0
    jalr zero, 0(ra)                      /* back to r1 */
2:  la a1, 3f
    jalr ra, 4(a1)                        /* target = a1 + 4: skips the first nop */
r2: j 4f
    .option push
    .option norvc
3:  jal zero, bad2                        /* skipped: the jalr lands 4 bytes later */
    .option pop
    la a0, r2
    CHECKR 3, ra, a0
    jalr zero, ra, 0
4:  la a1, 5f + 1                         /* jalr clears bit 0 of the target */
    jalr ra, 0(a1)
    CHECK 4, zero, 1
5:  la a1, 6f
    jalr a1, 0(a1)                        /* rd == rs1: target uses the old value */
6:  la a0, 6b
    CHECKR 5, a1, a0
    li a0, -1
    li a1, 1
    li a2, -1
    /* each branch: taken case skips a failing CHECK, not-taken falls through */
    beq a0, a2, 1f
    CHECK 10, zero, 1
1:  beq a0, a1, 1f
    j 2f
1:  CHECK 11, zero, 1
2:  bne a0, a1, 1f
    CHECK 12, zero, 1
1:  bne a0, a2, 1f
    j 2f
1:  CHECK 13, zero, 1
2:  blt a0, a1, 1f                        /* -1 < 1 signed */
    CHECK 14, zero, 1
1:  blt a1, a0, 1f
    blt a0, a0, 1f
    j 2f
1:  CHECK 15, zero, 1
2:  bge a1, a0, 1f
    CHECK 16, zero, 1
1:  bge a0, a2, 1f                        /* equal: taken */
    CHECK 17, zero, 1
1:  bge a0, a1, 1f
    j 2f
1:  CHECK 18, zero, 1
2:  bltu a1, a0, 1f                       /* 1 < 0xff..ff unsigned */
    CHECK 19, zero, 1
1:  bltu a0, a1, 1f
    j 2f
1:  CHECK 20, zero, 1
2:  bgeu a0, a1, 1f
    CHECK 21, zero, 1
1:  bgeu zero, zero, 1f
    CHECK 22, zero, 1
1:  bgeu a1, a0, 1f
    j 2f
1:  CHECK 23, zero, 1
2:  li a3, 0                              /* backward branch loop: 5 iterations */
    li a4, 5
1:  addi a3, a3, 1
    blt a3, a4, 1b
    CHECK 24, a3, 5
    fence
    fence rw, rw
    fence iorw, iorw
    /* fence.i: a store to code must be seen after fence.i (Zifencei) */
    la a0, patch
    la a1, newinsn
    lw a2, 0(a1)
    sw a2, 0(a0)
    fence.i
    .option push
    .option norvc
patch:
    addi s1, zero, 1                      /* replaced by "addi s1, zero, 2" */
    .option pop
    CHECK 25, s1, 2
    j 1f
bad2:
    CHECK 2, zero, 1
1:
TEST_PASS
    .data
    .align 2
newinsn:
    .option push
    .option norvc
    addi s1, zero, 2
    .option pop
