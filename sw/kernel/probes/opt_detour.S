/* The detour template of an optimized kprobe (TRACING.md mechanism 5). Never run where
 * it is: optprobes.c copies it into a per-probe detour buffer and appends the probe's
 * tail (the copied instructions, then the way back: auipc/jalr for the classic flavour,
 * lrw2spc + literal for the spc flavour). It is position independent: the two literals
 * it needs sit at its start, found through auipc.
 *
 *   +0   literal: struct kprobe *            (written per probe)
 *   +8   literal: &optimized_callback
 *   +16  entry: the probed site jumps here with every register as at the probe
 *        (classic: except its dead scratch register), builds a full struct pt_regs on
 *        the stack, calls optimized_callback(kp, regs), restores every register from
 *        the frame (a handler's changes take effect, sp and epc excepted), pops it and
 *        falls into the tail. */
#include <asm/asm.h>

#ifdef CONFIG_OPTPROBES

    .section .rodata, "a"
    .option push
    .option norelax
    .balign 8
    .globl optprobe_template, optprobe_template_entry, optprobe_template_end
optprobe_template:
    .dword 0
#if __riscv_xlen == 64
    .dword optimized_callback
#else
    .word optimized_callback, 0
#endif
optprobe_template_entry:
    addi sp, sp, -PT_SIZE
    SAVE_GPRS
    addi t0, sp, PT_SIZE
    REG_S t0, 2*SZREG(sp)          /* regs->sp: the probed code's sp */
.Lopt_auipc:
    auipc t0, 0                    /* %lo(): gas takes a label difference only so */
    REG_L a0, %lo(optprobe_template - .Lopt_auipc)(t0)
    REG_L t1, %lo(optprobe_template + 8 - .Lopt_auipc)(t0)
    mv a1, sp
    jalr ra, t1
    RESTORE_GPRS
    addi sp, sp, PT_SIZE
optprobe_template_end:
    .option pop
#endif
