/* long call_with_regs(long (*fn)(long, ...), unsigned long *save, const long args[8])
 * Calls fn(args[0..7]) with s0-s11 holding patterns (0x5a000000 + 0x100 * n), then
 * stores s0-s11, gp, tp and sp after (before) the call into save[0..14] (save[15]), so a C check can see
 * that whatever ran in between (a traced function: its ftrace site, the trampoline,
 * the callbacks) kept every callee-saved register. Returns fn's return value. */
#if __riscv_xlen == 64
#define REG_S sd
#define REG_L ld
#define SZREG 8
#else
#define REG_S sw
#define REG_L lw
#define SZREG 4
#endif
    .text
    .globl call_with_regs
call_with_regs:
    addi sp, sp, -24 * SZREG           /* ra, save pointer, s0-s11 at slots 2..21 */
    REG_S ra, 0(sp)
    .irp n, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    REG_S x\n, (\n - 6) * SZREG(sp)
    .endr
    REG_S a1, 1 * SZREG(sp)           /* save */
    REG_S sp, 15 * SZREG(a1)          /* sp before the call: save[15] */
    mv t0, a0
    mv t1, a2
    .irp n, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    li x\n, 0x5a000000 + 0x100 * \n
    .endr
    REG_L a0, 0 * SZREG(t1)
    REG_L a1, 1 * SZREG(t1)
    REG_L a2, 2 * SZREG(t1)
    REG_L a3, 3 * SZREG(t1)
    REG_L a4, 4 * SZREG(t1)
    REG_L a5, 5 * SZREG(t1)
    REG_L a6, 6 * SZREG(t1)
    REG_L a7, 7 * SZREG(t1)
    jalr t0
    REG_L t1, 1 * SZREG(sp)
    REG_S x8, 0 * SZREG(t1)
    REG_S x9, 1 * SZREG(t1)
    .irp n, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    REG_S x\n, (\n - 16) * SZREG(t1)
    .endr
    REG_S gp, 12 * SZREG(t1)
    REG_S tp, 13 * SZREG(t1)
    REG_S sp, 14 * SZREG(t1)
    REG_L ra, 0(sp)
    .irp n, 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27
    REG_L x\n, (\n - 6) * SZREG(sp)
    .endr
    addi sp, sp, 24 * SZREG
    ret
