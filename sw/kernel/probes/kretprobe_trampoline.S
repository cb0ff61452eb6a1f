/* Kretprobe return trampoline: a probed function's `ret` lands here (its ra was
 * replaced at entry). Save every register as a struct pt_regs, let the C side run the
 * handler and put the real return address in pt_regs.ra, restore (with whatever the
 * handler changed, a0 included) and return there. Never probed (.kprobes.text). */
#if __riscv_xlen == 64
#define REG_S sd
#define REG_L ld
#define SZREG 8
#else
#define REG_S sw
#define REG_L lw
#define SZREG 4
#endif
#define PT_SIZE (((36 * SZREG) + 15) & ~15)

    .section .kprobes.text, "ax"
    .align 2
    .globl kretprobe_trampoline
    .type kretprobe_trampoline, @function
kretprobe_trampoline:
    addi sp, sp, -PT_SIZE
    REG_S x1, 1*SZREG(sp)
    REG_S x3, 3*SZREG(sp)
    REG_S x4, 4*SZREG(sp)
    REG_S x5, 5*SZREG(sp)
    REG_S x6, 6*SZREG(sp)
    REG_S x7, 7*SZREG(sp)
    REG_S x8, 8*SZREG(sp)
    REG_S x9, 9*SZREG(sp)
    REG_S x10, 10*SZREG(sp)
    REG_S x11, 11*SZREG(sp)
    REG_S x12, 12*SZREG(sp)
    REG_S x13, 13*SZREG(sp)
    REG_S x14, 14*SZREG(sp)
    REG_S x15, 15*SZREG(sp)
    REG_S x16, 16*SZREG(sp)
    REG_S x17, 17*SZREG(sp)
    REG_S x18, 18*SZREG(sp)
    REG_S x19, 19*SZREG(sp)
    REG_S x20, 20*SZREG(sp)
    REG_S x21, 21*SZREG(sp)
    REG_S x22, 22*SZREG(sp)
    REG_S x23, 23*SZREG(sp)
    REG_S x24, 24*SZREG(sp)
    REG_S x25, 25*SZREG(sp)
    REG_S x26, 26*SZREG(sp)
    REG_S x27, 27*SZREG(sp)
    REG_S x28, 28*SZREG(sp)
    REG_S x29, 29*SZREG(sp)
    REG_S x30, 30*SZREG(sp)
    REG_S x31, 31*SZREG(sp)
    addi t0, sp, PT_SIZE
    REG_S t0, 2*SZREG(sp)        /* sp as the probed function returned */
    la t0, kretprobe_trampoline
    REG_S t0, 0(sp)              /* epc: here (the C side sets the real one) */
    mv a0, sp
    call kretprobe_trampoline_handler
    REG_L x1, 1*SZREG(sp)
    REG_L x3, 3*SZREG(sp)
    REG_L x4, 4*SZREG(sp)
    REG_L x5, 5*SZREG(sp)
    REG_L x6, 6*SZREG(sp)
    REG_L x7, 7*SZREG(sp)
    REG_L x8, 8*SZREG(sp)
    REG_L x9, 9*SZREG(sp)
    REG_L x10, 10*SZREG(sp)
    REG_L x11, 11*SZREG(sp)
    REG_L x12, 12*SZREG(sp)
    REG_L x13, 13*SZREG(sp)
    REG_L x14, 14*SZREG(sp)
    REG_L x15, 15*SZREG(sp)
    REG_L x16, 16*SZREG(sp)
    REG_L x17, 17*SZREG(sp)
    REG_L x18, 18*SZREG(sp)
    REG_L x19, 19*SZREG(sp)
    REG_L x20, 20*SZREG(sp)
    REG_L x21, 21*SZREG(sp)
    REG_L x22, 22*SZREG(sp)
    REG_L x23, 23*SZREG(sp)
    REG_L x24, 24*SZREG(sp)
    REG_L x25, 25*SZREG(sp)
    REG_L x26, 26*SZREG(sp)
    REG_L x27, 27*SZREG(sp)
    REG_L x28, 28*SZREG(sp)
    REG_L x29, 29*SZREG(sp)
    REG_L x30, 30*SZREG(sp)
    REG_L x31, 31*SZREG(sp)
    addi sp, sp, PT_SIZE
    ret
    .size kretprobe_trampoline, . - kretprobe_trampoline
