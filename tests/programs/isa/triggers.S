/* Sdtrig mcontrol6 address triggers with action 0: breakpoint exception before the
   instruction executes / the access happens (debug spec 5.7.13; PLATFORM.md). */
#include "spcore_test.h"
#define MC6 (6 << (XLEN - 4))
#define M_ 0x40
#define U_ 0x08
#define EXEC 0x4
#define STORE 0x2
#define LOAD 0x1
TEST_BEGIN
    /* execute trigger on bp1: the instruction there does not execute */
    csrw tselect, zero
    la a0, bp1
    csrw tdata2, a0
    li a0, MC6 | M_ | EXEC
    csrw tdata1, a0
    li a1, 0
bp1: li a1, 1
    EXPECT_TRAP 1, 3
    CHECK_TRAP_EPC 2, bp1
    CHECK_TRAP_TVAL_LABEL 3, bp1
    CHECK 4, a1, 0
    csrw tdata1, zero
    /* load trigger (trigger 1): the load traps, rd unchanged; stores do not match */
    li a0, 1
    csrw tselect, a0
    la s0, buf
    csrw tdata2, s0
    li a0, MC6 | M_ | LOAD
    csrw tdata1, a0
    CLEAR_TRAP
    li a2, 0x66
    sw a2, 0(s0)
    CHECK_NO_TRAP 5
    li a1, 0
ld1: lw a1, 0(s0)
    EXPECT_TRAP 6, 3
    CHECK_TRAP_EPC 7, ld1
    CHECK_TRAP_TVAL_LABEL 8, buf
    CHECK 9, a1, 0
    lw a1, 4(s0)                          /* other address: no match */
    /* store trigger: the store traps and does not write */
    li a0, MC6 | M_ | STORE
    csrw tdata1, a0
    CLEAR_TRAP
    lw a1, 0(s0)
    CHECK_NO_TRAP 10
    li a2, 0x77
st1: sw a2, 0(s0)
    EXPECT_TRAP 11, 3
    CHECK_TRAP_EPC 12, st1
    lw a1, 0(s0)
    CHECK 13, a1, 0x66
    /* a trigger with only the U bit does not fire in M-mode */
    li a0, MC6 | U_ | STORE
    csrw tdata1, a0
    CLEAR_TRAP
    sw a2, 0(s0)
    CHECK_NO_TRAP 14
    csrw tdata1, zero
    /* an execute trigger with the U bit fires in U-mode */
    li a0, -1
    csrw pmpaddr0, a0
    li a0, 0x1f                           /* NAPOT RWX over everything: U may run */
    csrw pmpcfg0, a0
    csrw tselect, zero
    la a0, ubp
    csrw tdata2, a0
    li a0, MC6 | U_ | EXEC
    csrw tdata1, a0
    li a0, 3 << 11
    csrc mstatus, a0
    la a0, user
    csrw mepc, a0
    mret
user:
    li a1, 0
ubp: li a1, 1
    EXPECT_TRAP 20, 3
    CHECK_TRAP_EPC 21, ubp
    CHECK 22, a1, 0
    ecall
    EXPECT_TRAP 23, 8
    csrw tdata1, zero
TEST_PASS
    .data
    .align 3
buf: .fill 4, 4, 0
