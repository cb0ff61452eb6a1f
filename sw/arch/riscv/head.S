/* Boot, trap entry and the switch to and from the U-mode task. */
#include <asm/asm.h>
#include <asm/csr.h>

    .option arch, +zicsr
    .section .text.init, "ax"
    .globl _start
_start:
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    REG_S zero, 0(t0)
    addi t0, t0, SZREG
    j 1b
2:  la t0, trap_entry
    csrw mtvec, t0
    csrw mscratch, zero          /* 0 = "in the kernel"; see trap_entry */
    call kernel_main             /* does not return */
3:  j 3b

/* Every trap and interrupt. mscratch is 0 while the kernel runs and holds the kernel
 * stack pointer while the U-mode task runs, so one swap tells where we came from. */
    .align 2
    .globl trap_entry
trap_entry:
    csrrw sp, mscratch, sp
    bnez sp, 1f                  /* from U: sp is now the kernel stack */
    csrrw sp, mscratch, sp       /* from M: undo the swap */
1:  addi sp, sp, -PT_SIZE
    SAVE_GPRS
    csrrw t0, mscratch, zero     /* the interrupted sp: user's, or 0 if from M */
    bnez t0, 2f
    addi t0, sp, PT_SIZE
2:  REG_S t0, 2*SZREG(sp)
    csrr t0, mepc
    REG_S t0, PT_EPC(sp)
    csrr t0, mstatus
    REG_S t0, PT_STATUS(sp)
    csrr t0, mtval
    REG_S t0, PT_BADADDR(sp)
    csrr t0, mcause
    REG_S t0, PT_CAUSE(sp)
#ifdef CONFIG_XSPC
    csrr t0, CSR_MSPC            /* one level in hardware: a nested trap would */
    REG_S t0, PT_SPC(sp)         /* overwrite them, so they live in the frame */
    csrr t0, CSR_MSPCTRIG
    REG_S t0, PT_SPCTRIG(sp)
#endif
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    mv a0, sp
    call do_trap
    mv a0, sp                    /* sp is callee-saved: still the frame */

    .globl ret_from_trap
ret_from_trap:                   /* a0 = struct pt_regs * to return to */
    mv sp, a0
    REG_L t0, PT_EPC(sp)
    csrw mepc, t0
#ifdef CONFIG_XSPC
    REG_L t0, PT_SPC(sp)
    csrw CSR_MSPC, t0
    REG_L t0, PT_SPCTRIG(sp)
    csrw CSR_MSPCTRIG, t0
#endif
    REG_L t0, PT_STATUS(sp)
    csrw mstatus, t0
    srli t0, t0, 11
    andi t0, t0, 3
    bnez t0, 3f                  /* back to M: mscratch stays 0 */
    addi t0, sp, PT_SIZE
    csrw mscratch, t0            /* back to U: kernel stack for the next trap */
3:  RESTORE_GPRS
    REG_L x2, 2*SZREG(sp)
    mret

/* long kernel_context_save(struct kernel_context *c): save callee-saved registers,
 * return 0; kernel_context_resume(c, v) makes that call return v (setjmp/longjmp),
 * used to come back from the U-mode task. */
    .globl kernel_context_save
kernel_context_save:
    REG_S ra, 0*SZREG(a0)
    REG_S sp, 1*SZREG(a0)
    REG_S s0, 2*SZREG(a0)
    REG_S s1, 3*SZREG(a0)
    REG_S s2, 4*SZREG(a0)
    REG_S s3, 5*SZREG(a0)
    REG_S s4, 6*SZREG(a0)
    REG_S s5, 7*SZREG(a0)
    REG_S s6, 8*SZREG(a0)
    REG_S s7, 9*SZREG(a0)
    REG_S s8, 10*SZREG(a0)
    REG_S s9, 11*SZREG(a0)
    REG_S s10, 12*SZREG(a0)
    REG_S s11, 13*SZREG(a0)
    li a0, 0
    ret
    .globl kernel_context_resume
kernel_context_resume:
    REG_L ra, 0*SZREG(a0)
    REG_L sp, 1*SZREG(a0)
    REG_L s0, 2*SZREG(a0)
    REG_L s1, 3*SZREG(a0)
    REG_L s2, 4*SZREG(a0)
    REG_L s3, 5*SZREG(a0)
    REG_L s4, 6*SZREG(a0)
    REG_L s5, 7*SZREG(a0)
    REG_L s6, 8*SZREG(a0)
    REG_L s7, 9*SZREG(a0)
    REG_L s8, 10*SZREG(a0)
    REG_L s9, 11*SZREG(a0)
    REG_L s10, 12*SZREG(a0)
    REG_L s11, 13*SZREG(a0)
    mv a0, a1
    ret

/* Placeholder call target of -pg builds until ftrace patches the call sites. */
    .globl _mcount
_mcount:
    ret
