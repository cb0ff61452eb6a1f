/* Synchronous exceptions in M-mode (privileged spec 3.1.15, 3.3; PLATFORM.md):
   cause, mepc and mtval of each. */
#include "spcore_test.h"
#define NOWHERE 0x40000000                /* outside every region: access fault */
TEST_BEGIN
    /* illegal instruction: mtval = the instruction bits */
t1: .4byte 0x00000057                     /* OP-V: not implemented */
    EXPECT_TRAP 1, 2
    CHECK_TRAP_EPC 2, t1
    CHECK_TRAP_TVAL 3, 0x57
t2: .2byte 0x0000                         /* the defined illegal 16-bit instruction */
    EXPECT_TRAP 4, 2
    CHECK_TRAP_EPC 5, t2
    CHECK_TRAP_TVAL 6, 0
t3: .4byte 0x0000100b                     /* lrw2spc with funct3 = 1: reserved */
    EXPECT_TRAP 7, 2
    CHECK_TRAP_TVAL 8, 0x100b
t4: .insn 6, 0x800000002000 | 0x1f        /* c.jall with funct3 = 1: reserved */
    EXPECT_TRAP 9, 2
    CHECK_TRAP_EPC 10, t4
    CHECK_TRAP_TVAL 11, X(0x0000201f, 0x80000000201f)
    /* ecall from M: cause 11, mtval 0 */
t5: ecall
    EXPECT_TRAP 12, 11
    CHECK_TRAP_EPC 13, t5
    CHECK_TRAP_TVAL 14, 0
    /* ebreak: cause 3, mtval = pc */
    .option push
    .option norvc                         /* else as picks c.ebreak */
t6: ebreak
    .option pop
    EXPECT_TRAP 15, 3
    CHECK_TRAP_EPC 16, t6
    CHECK_TRAP_TVAL_LABEL 17, t6
    /* misaligned loads and stores trap, mtval = address, no access done */
    la s0, buf
    li a1, 0x77
t7: lw a1, 1(s0)
    EXPECT_TRAP 18, 4
    CHECK_TRAP_EPC 19, t7
    CHECK_TRAP_TVAL_LABEL 20, buf + 1
    CHECK 21, a1, 0x77                    /* rd not written */
    lh a1, 3(s0)
    EXPECT_TRAP 22, 4
    CHECK_TRAP_TVAL_LABEL 23, buf + 3
    lhu a1, 1(s0)
    EXPECT_TRAP 24, 4
    li a2, -1
t8: sw a2, 2(s0)
    EXPECT_TRAP 25, 6
    CHECK_TRAP_EPC 26, t8
    CHECK_TRAP_TVAL_LABEL 27, buf + 2
    sh a2, 5(s0)
    EXPECT_TRAP 28, 6
    CHECK_TRAP_TVAL_LABEL 29, buf + 5
    lw a3, 0(s0)
    CHECK 30, a3, 0                       /* the faulting stores wrote nothing */
    lw a3, 4(s0)
    CHECK 31, a3, 0
#if XLEN == 64
    ld a1, 4(s0)
    EXPECT_TRAP 32, 4
    CHECK_TRAP_TVAL_LABEL 33, buf + 4
    sd a2, 12(s0)
    EXPECT_TRAP 34, 6
    lwu a1, 2(s0)
    EXPECT_TRAP 35, 4
#endif
    /* access faults: load, store, fetch outside every region */
    li s1, NOWHERE
t9: lw a1, 0(s1)
    EXPECT_TRAP 40, 5
    CHECK_TRAP_EPC 41, t9
    CHECK_TRAP_TVAL 42, NOWHERE
    sb a1, 8(s1)
    EXPECT_TRAP 43, 7
    CHECK_TRAP_TVAL 44, NOWHERE + 8
    li s2, 0x02100000                     /* just past the CLINT */
    lw a1, 0(s2)
    EXPECT_TRAP 45, 5
    jalr ra, 0(s1)                        /* fetch: mepc = mtval = target; back at ra */
    EXPECT_TRAP 46, 1
    CHECK_TRAP_TVAL 47, NOWHERE
    la t3, trap_cause
    LREG a1, REGBYTES(t3)
    CHECK 48, a1, NOWHERE
    /* misaligned fetch: c.jall to an odd target; mepc = the c.jall, rd not written */
    li a0, 0x55
t10: .insn 6, ((0x80000801 << 16) | (10 << 7) | 0x1f)    /* c.jall a0, 0x80000801 */
    EXPECT_TRAP 50, 0
    CHECK_TRAP_EPC 51, t10
    CHECK_TRAP_TVAL 52, 0x80000801
    CHECK 53, a0, 0x55
    /* mret returns to mepc in mode MPP and sets MIE = MPIE, MPIE = 1 */
    li a0, (3 << 11) | (1 << 7)
    csrw mstatus, a0
    la a0, 1f
    csrw mepc, a0
    mret
    CHECK 54, zero, 1
1:  csrr a1, mstatus
    li a2, (1 << 3) | (1 << 7)
    and a1, a1, a2
    CHECK 55, a1, (1 << 3) | (1 << 7)
    csrw mstatus, zero
    /* trap then mret: MIE restored from MPIE, MPIE = 1, MPP = U (the least mode) */
    li a0, (1 << 3)
    csrw mstatus, a0
    ecall
    EXPECT_TRAP 56, 11
    csrr a1, mstatus
    li a2, (1 << 3) | (1 << 7) | (3 << 11)
    and a1, a1, a2
    CHECK 57, a1, (1 << 3) | (1 << 7)
    csrw mstatus, zero
    CLEAR_TRAP
    /* wfi with an interrupt pending and enabled in mie (but MIE = 0) completes */
    li a0, CLINT_MSIP
    li a1, 1
    sw a1, 0(a0)
    li a1, 1 << 3
    csrw mie, a1
    wfi
    csrr a1, mip
    andi a1, a1, 1 << 3
    CHECK 58, a1, 1 << 3
    li a0, CLINT_MSIP
    sw zero, 0(a0)
    csrw mie, zero
    CHECK_NO_TRAP 59
TEST_PASS
    .data
    .align 3
buf: .fill 4, 4, 0
