/* The tracing extensions (EXTENSIONS.md): c.jall (Xjall) and lrw2spc (Xspc). */
#include "spcore_test.h"
#define TARGET 0x80000800                 /* .org below: c.jall takes an absolute address */
TEST_BEGIN
    /* c.jall ra, TARGET: ra = pc + 6, pc = TARGET (which returns through ra) */
    li a0, 0
j1: C_JALL(1, 0, TARGET)
    la a1, j1 + 6
    CHECKR 1, ra, a1
    CHECK 2, a0, 0x11                     /* the target ran */
    /* c.jall zero, TARGET + 8: plain jump, no link; the target jumps back to `back` */
    li ra, 0x123
    C_JALL(0, 0, TARGET + 8)
    CHECK 3, zero, 1
back:
    CHECK 4, ra, 0x123
    CHECK 5, a0, 0x22
    /* S = 1: sign-extended imm32 (RV64: 0xffffffff80000800, outside RAM: fetch fault;
       RV32: no effect) */
    li a0, 0
    la ra, s1done
    C_JALL(0, 1, TARGET)
s1done:
#if XLEN == 64
    EXPECT_TRAP 6, 1
    CHECK_TRAP_TVAL 7, 0xffffffff80000800
#else
    CHECK 6, a0, 0x11
#endif
    /* lrw2spc: spc = the XLEN word at pc + offset, spctrig = that address | 1; reaching
       the address jumps to spc instead of executing it */
    li a0, 0
    .align 3
l1: LRW2SPC(lit - l1)
    addi a0, a0, 1                        /* the "replaced instruction" */
    csrr a2, 0x7c1
    la a3, lit + 1
    CHECKR 8, a2, a3
    csrr a2, 0x7c0
    la a3, resume
    CHECKR 9, a2, a3
    j lit                                 /* the branch's next pc is the trigger */
    .align 3
lit:
#if XLEN == 64
    .dword resume
#else
    .word resume
#endif
    CHECK 10, zero, 1
resume:
    CHECK 11, a0, 1
    csrr a2, 0x7c1
    andi a2, a2, 1
    CHECK 12, a2, 0                       /* disarmed */
    /* lrw2spc at a misaligned address: load-address-misaligned, CSRs unchanged */
    csrw 0x7c0, zero
l2: LRW2SPC(lit + 2 - l2)
    EXPECT_TRAP 13, 4
    CHECK_TRAP_TVAL_LABEL 14, lit + 2
    csrr a2, 0x7c0
    CHECK 15, a2, 0
    /* jumps to the next instruction (the disabled jall ftrace site; the RTL takes them
       without a redirect): the link is still written, nothing is skipped */
    li a0, 0
    .align 2
    c.nop
j2: .2byte (5 << 7) | 0x1f                 /* c.jall t0, j2 + 6 (a label: not .insn) */
    .4byte j2 + 6
    addi a0, a0, 1
    la a1, j2 + 6
    CHECKR 16, t0, a1
j3: jal t1, j3 + 4
    addi a0, a0, 1
    la a1, j3 + 4
    CHECKR 17, t1, a1
    c.j 1f
1:  addi a0, a0, 1
    CHECK 18, a0, 3
TEST_PASS
    .section .text.init                   /* starts at 0x80000000 (link.ld) */
    .org TARGET - 0x80000000
    addi a0, a0, 0x11
    jalr zero, 0(ra)
    .org TARGET - 0x80000000 + 8
    li a0, 0x22
    j back
