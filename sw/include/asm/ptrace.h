#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

/* Linux riscv's struct pt_regs, in its order: slot i (1..31) holds x_i. */
struct pt_regs {
    unsigned long epc;
    unsigned long ra, sp, gp, tp;
    unsigned long t0, t1, t2;
    unsigned long s0, s1;
    unsigned long a0, a1, a2, a3, a4, a5, a6, a7;
    unsigned long s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
    unsigned long t3, t4, t5, t6;
    unsigned long status, badaddr, cause;
    unsigned long orig_a0;
    /* spcore: the interrupted context's Xspc state (mspc, mspctrig at trap entry), saved
     * so that a nested trap cannot lose a pending shadow jump (EXTENSIONS.md, Traps). */
    unsigned long spc, spctrig;
};
#define PT_SIZE_ON_STACK (((sizeof(struct pt_regs)) + 15) & ~15)

static inline unsigned long instruction_pointer(struct pt_regs *regs) { return regs->epc; }
static inline void instruction_pointer_set(struct pt_regs *regs, unsigned long v) { regs->epc = v; }
static inline unsigned long regs_return_value(struct pt_regs *regs) { return regs->a0; }
static inline unsigned long user_stack_pointer(struct pt_regs *regs) { return regs->sp; }
static inline int user_mode(struct pt_regs *regs) { return ((regs->status >> 11) & 3) == 0; }
/* Argument n (0-based) of a function entered with these registers. */
static inline unsigned long regs_get_kernel_argument(struct pt_regs *regs, unsigned n)
{
    return n < 8 ? (&regs->a0)[n] : 0;
}
#endif
