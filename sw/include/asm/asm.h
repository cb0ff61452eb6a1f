#ifndef _ASM_ASM_H
#define _ASM_ASM_H
/* XLEN-independent assembly, and the struct pt_regs frame (asm/ptrace.h) as seen from
 * assembly: slot i (1..31) holds x_i, slot 0 epc, then status, badaddr, cause. */
#if __riscv_xlen == 64
#define REG_S sd
#define REG_L ld
#define SZREG 8
#else
#define REG_S sw
#define REG_L lw
#define SZREG 4
#endif
/* 38 slots, and at least one word above them that the trap entry never writes (the
 * ftrace ra-stack site keeps ra just under a function's sp, which an interrupt taken in
 * the site finds as the top word of its frame), rounded up to 16 bytes. */
#define PT_SIZE (((39 * SZREG) + 15) & ~15)
#define PT_EPC 0
#define PT_STATUS (32 * SZREG)
#define PT_BADADDR (33 * SZREG)
#define PT_CAUSE (34 * SZREG)
#define PT_SPC (36 * SZREG)                   /* mspc / mspctrig: Xspc state of the */
#define PT_SPCTRIG (37 * SZREG)               /* interrupted context (EXTENSIONS.md) */

#ifdef __ASSEMBLER__
/* Store / load x1 and x3..x31 to / from the pt_regs frame at sp (sp itself, x2, is
 * the caller's business: it is what locates the frame). */
.macro SAVE_GPRS
    REG_S x1, 1*SZREG(sp)
    .irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    REG_S x\n, \n*SZREG(sp)
    .endr
.endm
.macro RESTORE_GPRS
    REG_L x1, 1*SZREG(sp)
    .irp n, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    REG_L x\n, \n*SZREG(sp)
    .endr
.endm
#endif
#endif
