/* Probe targets for the optprobe tests: known instructions at known labels, 32-bit
 * encodings (norvc) except where a 16-bit one is the point. Which flavour optimizes
 * which site, and why, is said beside each (optprobes.c holds the rules). */
#include <asm/asm.h>

#define PAT(n) (0x13570000 + (n) * 0x111)

    .text
    .option push
    .option norvc

/* void opt_regs_run(void): every register but sp/gp/tp gets PAT(n), then the probed
 * window (opt_regs_at: addi a0 ; xori a1, 8 bytes, copyable) runs, then all 31
 * registers are stored to opt_regs_buf[1..31] (t6, the dump pointer, is written after
 * the window before any read: the one register dead at the site, which the classic
 * flavour takes). opt_regs_sp is sp at the window. */
    .globl opt_regs_run, opt_regs_at
    .type opt_regs_run, @function
    .balign 4
opt_regs_run:
    addi sp, sp, -32 * SZREG
    REG_S ra, 0(sp)
    .irp n, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    REG_S x\n, \n * SZREG(sp)
    .endr
    lla t0, opt_regs_sp
    REG_S sp, 0(t0)
    li x1, PAT(1)
    .irp n, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    li x\n, PAT(\n)
    .endr
opt_regs_at:
    addi a0, a0, 0x11
    xori a1, a1, 0x22
    addi a2, a2, 0x33
    lla t6, opt_regs_buf
    .irp n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
    REG_S x\n, \n * SZREG(t6)
    .endr
    REG_L ra, 0(sp)
    .irp n, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    REG_L x\n, \n * SZREG(sp)
    .endr
    addi sp, sp, 32 * SZREG
    ret
    .size opt_regs_run, . - opt_regs_run

/* opt_add_fn(x) = x + 15; opt_add_at: 8 bytes of ALU instructions, t1 dead (both
 * flavours optimize; spc replaces 8 bytes: c.jall + c.nop). */
    .globl opt_add_fn, opt_add_at
    .type opt_add_fn, @function
    .balign 4
opt_add_fn:
    addi a0, a0, 1
opt_add_at:
    addi a0, a0, 2
    addi a0, a0, 3
    addi a0, a0, 4
    li t1, 5
    add a0, a0, t1
    ret
    .size opt_add_fn, . - opt_add_fn

/* opt_rvc_fn(x) = x + 11; opt_rvc_at: c.addi then two 4-byte instructions: the classic
 * window needs 10 bytes (2+4+4), the spc one 6 (2+4). */
    .globl opt_rvc_fn, opt_rvc_at
    .type opt_rvc_fn, @function
    .balign 4
opt_rvc_fn:
opt_rvc_at:
    .option rvc
    c.addi a0, 1
    .option norvc
    addi a0, a0, 2
    addi a0, a0, 3
    li t1, 5
    add a0, a0, t1
    ret
    .size opt_rvc_fn, . - opt_rvc_fn

/* r_noreg_fn(x) = x + 3 (+0 either way of the branch). No register is written before
 * the branch ends the scan: classic refuses (no free register), spc optimizes. */
    .globl r_noreg_fn, r_noreg_at
    .type r_noreg_fn, @function
    .balign 4
r_noreg_fn:
r_noreg_at:
    addi a0, a0, 1
    addi a0, a0, 2
    bnez a0, 1f
1:  ret
    .size r_noreg_fn, . - r_noreg_fn

/* r_pcrel_fn(x) = x + 3; the window holds an auipc: refused. */
    .globl r_pcrel_fn, r_pcrel_at
    .type r_pcrel_fn, @function
    .balign 4
r_pcrel_fn:
r_pcrel_at:
    addi a0, a0, 1
    auipc t1, 0
    addi a0, a0, 2
    li t1, 0
    ret
    .size r_pcrel_fn, . - r_pcrel_fn

/* r_target_fn(x, n) = x + 1 + 5n (n >= 1); the loop branches to the window's second
 * instruction: refused. */
    .globl r_target_fn, r_target_at
    .type r_target_fn, @function
    .balign 4
r_target_fn:
r_target_at:
    addi a0, a0, 1
1:  addi a0, a0, 2
    addi a0, a0, 3
    li t1, 0
    addi a1, a1, -1
    bnez a1, 1b
    ret
    .size r_target_fn, . - r_target_fn

/* r_end_fn(x) = x + 3: its last instruction (r_end_at) falls through into the next
 * function, so any window there crosses the function's end: refused. */
    .globl r_end_fn, r_end_at, r_end_next
    .type r_end_fn, @function
    .balign 4
r_end_fn:
    li t1, 0
r_end_at:
    addi a0, a0, 1
    .size r_end_fn, . - r_end_fn
    .type r_end_next, @function
r_end_next:
    addi a0, a0, 2
    li t1, 0
    ret
    .size r_end_next, . - r_end_next

/* r_indirect_fn(x) = x + 3: an indirect jump (unknown target) in the function: refused. */
    .globl r_indirect_fn, r_indirect_at
    .type r_indirect_fn, @function
    .balign 4
r_indirect_fn:
r_indirect_at:
    addi a0, a0, 1
    addi a0, a0, 2
    lla t1, 1f
    jr t1
1:  ret
    .size r_indirect_fn, . - r_indirect_fn

    .option pop

    .bss
    .balign 8
    .globl opt_regs_buf, opt_regs_sp
opt_regs_buf:
    .fill 32, SZREG, 0
opt_regs_sp:
    .fill 1, SZREG, 0
