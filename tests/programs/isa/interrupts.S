/* Machine software and timer interrupts through the CLINT (privileged spec 3.1.9,
   3.2.1; PLATFORM.md: msip +0x0, mtimecmp +0x4000, mtime +0xBFF8). */
#include "spcore_test.h"
#define IRQ(n) ((1 << (XLEN - 1)) | n)
TEST_BEGIN
    /* software interrupt: pending in mip, taken once mie.MSIE and mstatus.MIE are set */
    li s0, CLINT_MSIP
    li a1, 1
    sw a1, 0(s0)
    lw a2, 0(s0)
    CHECK 1, a2, 1
    csrr a2, mip
    andi a2, a2, 1 << 3
    CHECK 2, a2, 1 << 3
    CHECK_NO_TRAP 3                       /* not enabled yet */
    li a0, 1 << 3
    csrw mie, a0
    CHECK_NO_TRAP 4                       /* mstatus.MIE still 0 */
    csrsi mstatus, 1 << 3
i1: nop                                   /* taken before this one: mepc = i1 */
    la t3, trap_cause
    LREG a3, 3*REGBYTES(t3)
    CHECK 5, a3, 1
    EXPECT_TRAP 6, IRQ(3)
    CHECK_TRAP_EPC 7, i1
    CHECK_TRAP_TVAL 8, 0
    lw a2, 0(s0)                          /* the handler cleared msip */
    CHECK 9, a2, 0
    csrr a2, mip
    andi a2, a2, 1 << 3
    CHECK 10, a2, 0
    /* timer: mtimecmp = mtime + 40, then spin; mtime advances on its own */
    csrci mstatus, 1 << 3
    CLEAR_TRAP
    li s1, CLINT_MTIMECMP
    li s2, CLINT_MTIME
    LREG a0, 0(s2)
    addi a0, a0, 40
#if XLEN == 32
    li a1, -1
    sw a1, 4(s1)                          /* no spurious match while writing halves */
    sw a0, 0(s1)
    sw zero, 4(s1)
#else
    sd a0, 0(s1)
#endif
    li a0, 1 << 7
    csrw mie, a0
    csrsi mstatus, 1 << 3
    li a3, 10000
    la s3, trap_cause                     /* not t3-t6: the handler clobbers those, and the
                                             interrupt lands anywhere in this loop */
1:  LREG a4, 3*REGBYTES(s3)
    bnez a4, 2f
    addi a3, a3, -1
    bnez a3, 1b
    CHECK 11, zero, 1                     /* no timer interrupt */
2:  EXPECT_TRAP 12, IRQ(7)
    csrr a2, mip
    andi a2, a2, 1 << 7
    CHECK 13, a2, 0                       /* mtimecmp = max: no longer pending */
    /* wfi wakes on a pending enabled interrupt even with MIE = 0 */
    csrci mstatus, 1 << 3
    CLEAR_TRAP
    LREG a0, 0(s2)
    addi a0, a0, 20
#if XLEN == 32
    sw a0, 0(s1)
    sw zero, 4(s1)
#else
    sd a0, 0(s1)
#endif
    wfi
    csrr a2, mip
    andi a2, a2, 1 << 7
    CHECK 14, a2, 1 << 7
    CHECK_NO_TRAP 15
    csrsi mstatus, 1 << 3                 /* now it is taken */
    nop
    EXPECT_TRAP 16, IRQ(7)
    /* wfi with MIE = 1 sleeps until the timer fires; the interrupt is taken after the
       wfi completes: mepc = the next instruction (privileged spec 3.3.3) */
    csrci mstatus, 1 << 3
    CLEAR_TRAP
    LREG a0, 0(s2)
    addi a0, a0, 200                      /* far more cycles than the 6 instructions to wfi */
#if XLEN == 32
    sw a0, 0(s1)
    sw zero, 4(s1)
#else
    sd a0, 0(s1)
#endif
    csrsi mstatus, 1 << 3
    wfi
w1: nop
    EXPECT_TRAP 17, IRQ(7)
    CHECK_TRAP_EPC 18, w1
    csrw mie, zero
TEST_PASS
