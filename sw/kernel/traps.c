/* Trap dispatch by mcause: interrupts, breakpoints (hook chain), user system calls,
 * and fatal reports for everything nobody claims. */
#include <linux/kernel.h>
#include <asm/csr.h>
#include <asm/traps.h>
#include <asm/user.h>

#define CLINT_MTIMECMP ((volatile unsigned int *)0x02004000UL)
#define CLINT_MTIME ((volatile unsigned int *)0x0200bff8UL)

static struct break_hook *break_hooks;
static struct fault_hook *fault_hooks;
static timer_handler_t timer_handler;

void notrace register_break_hook(struct break_hook *hook)
{
    struct break_hook **p = &break_hooks;
    while (*p)
        p = &(*p)->next;
    hook->next = NULL;
    *p = hook;
}

void notrace register_fault_hook(struct fault_hook *hook)
{
    struct fault_hook **p = &fault_hooks;
    while (*p)
        p = &(*p)->next;
    hook->next = NULL;
    *p = hook;
}

unsigned long long notrace clint_mtime(void)
{
    unsigned int hi, lo;
    do {                       /* RV32-safe read of the 64-bit counter */
        hi = CLINT_MTIME[1];
        lo = CLINT_MTIME[0];
    } while (hi != CLINT_MTIME[1]);
    return ((unsigned long long)hi << 32) | lo;
}

void notrace clint_set_timer(unsigned long long when)
{
    CLINT_MTIMECMP[1] = 0xffffffff;            /* no spurious interrupt in between */
    CLINT_MTIMECMP[0] = (unsigned int)when;
    CLINT_MTIMECMP[1] = (unsigned int)(when >> 32);
    csr_set(CSR_MIE, MIE_MTIE);
}

void notrace clint_stop_timer(void)
{
    csr_clear(CSR_MIE, MIE_MTIE);
    CLINT_MTIMECMP[1] = 0xffffffff;
    CLINT_MTIMECMP[0] = 0xffffffff;
}

void notrace timer_set_handler(timer_handler_t fn)
{
    timer_handler = fn;
}

static const char *const cause_names[] = {
    "instruction address misaligned", "instruction access fault", "illegal instruction",
    "breakpoint", "load address misaligned", "load access fault",
    "store address misaligned", "store access fault", "ecall from U-mode", "", "",
    "ecall from M-mode",
};

void notrace show_regs(struct pt_regs *regs)
{
    printk("mcause=%lx mepc=%lx mtval=%lx (%s)\n", regs->cause, regs->epc, regs->badaddr,
           regs->cause < ARRAY_SIZE(cause_names) ? cause_names[regs->cause] : "?");
    printk(" epc: %pS ra: %pS sp: %lx\n", (void *)regs->epc, (void *)regs->ra, regs->sp);
}

long notrace user_task_fault(struct pt_regs *regs);   /* user.c */
long notrace user_task_syscall(struct pt_regs *regs); /* user.c */

void notrace do_trap(struct pt_regs *regs)
{
    unsigned long cause = regs->cause;
    if (cause & CAUSE_IRQ_FLAG) {
        cause &= ~CAUSE_IRQ_FLAG;
        if (cause == IRQ_M_TIMER && timer_handler) {
            timer_handler(regs);
            return;
        }
        if (cause == IRQ_M_TIMER) {
            clint_stop_timer();
            return;
        }
        panic("unexpected interrupt %lu", cause);
    }
    if (cause == EXC_BREAKPOINT) {
        for (struct break_hook *h = break_hooks; h; h = h->next)
            if (h->fn(regs))
                return;
    } else {
        for (struct fault_hook *h = fault_hooks; h; h = h->next)
            if (h->fn(regs, cause))
                return;
    }
    if (cause == EXC_SYSCALL_U) {
        user_task_syscall(regs);
        return;
    }
    if (user_mode(regs)) {
        printk("user task fault: ");
        show_regs(regs);
        user_task_fault(regs);           /* does not return: back to run_user_task */
    }
    printk("FATAL trap in kernel: ");
    show_regs(regs);
    sim_exit(0xdead);
}
