/* Kretprobe return trampoline: a probed function's `ret` lands here (its ra was
 * replaced at entry). Save every register as a struct pt_regs, let the C side run the
 * handler and put the real return address in pt_regs.ra, restore (with whatever the
 * handler changed, a0 included) and return there. Never probed (.kprobes.text). */
#include <asm/asm.h>

    .section .kprobes.text, "ax"
    .align 2
    .globl kretprobe_trampoline
    .type kretprobe_trampoline, @function
kretprobe_trampoline:
    addi sp, sp, -PT_SIZE
    SAVE_GPRS
    addi t0, sp, PT_SIZE
    REG_S t0, 2*SZREG(sp)        /* sp as the probed function returned */
    la t0, kretprobe_trampoline
    REG_S t0, 0(sp)              /* epc: here (the C side sets the real one) */
    mv a0, sp
    call kretprobe_trampoline_handler
    RESTORE_GPRS
    addi sp, sp, PT_SIZE
    ret
    .size kretprobe_trampoline, . - kretprobe_trampoline
