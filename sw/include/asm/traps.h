#ifndef _ASM_TRAPS_H
#define _ASM_TRAPS_H
#include <asm/ptrace.h>

/* ebreak dispatch, as Linux's handle_break: each hook in registration order may claim
 * the trap by returning 1 (it then has set regs->epc); unclaimed breakpoints are fatal
 * in M-mode and end the user task in U-mode. Kprobes and uprobes register here. */
struct break_hook {
    struct break_hook *next;
    int (*fn)(struct pt_regs *regs);
};
void register_break_hook(struct break_hook *hook);

/* Other exceptions may be claimed the same way before they are reported as fatal
 * (the kprobes fault path uses it). */
struct fault_hook {
    struct fault_hook *next;
    int (*fn)(struct pt_regs *regs, unsigned long cause);
};
void register_fault_hook(struct fault_hook *hook);

/* Machine timer (CLINT). The handler runs with interrupts off. */
typedef void (*timer_handler_t)(struct pt_regs *regs);
void timer_set_handler(timer_handler_t fn);
unsigned long long clint_mtime(void);
void clint_set_timer(unsigned long long when);     /* absolute mtime; also enables MTIE */
void clint_stop_timer(void);

/* The C trap handler, called by the assembly entry with the saved registers. */
void do_trap(struct pt_regs *regs);
#endif
