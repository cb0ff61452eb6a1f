/* The listing of /sys/kernel/debug/kprobes/list (Linux's report_probe), printed to the
 * console: address, type (k kprobe, r kretprobe), symbol+offset, flags. [HWBP] is an
 * spcore addition: the probe sits on a Sdtrig trigger, not a breakpoint instruction.
 * The spacing is Linux's, so tools that parse that file parse this. */
#include "kprobes_internal.h"

void __kprobes kprobes_list_print(void)
{
    for (struct kprobe *p = kprobe_first(); p; p = p->next) {
        unsigned long offset = 0;
        const char *sym = kallsyms_lookup((unsigned long)p->addr, NULL, &offset);
        char type = p->pre_handler == pre_handler_kretprobe ? 'r' : 'k';
#if __riscv_xlen == 64
        printk("%016lx  %c  ", (unsigned long)p->addr, type);
#else
        printk("%08lx  %c  ", (unsigned long)p->addr, type);
#endif
        /* Linux: "%s+0x%x  %s " with the module name, or " " for the kernel itself */
        if (sym)
            printk("%s+0x%lx    ", sym, offset);
        else
            printk("%pS ", p->addr);
        printk("%s%s%s%s%s\n",
               (p->flags & KPROBE_FLAG_GONE) ? "[GONE]" : "",
               (p->flags & (KPROBE_FLAG_DISABLED | KPROBE_FLAG_GONE)) == KPROBE_FLAG_DISABLED
                   ? "[DISABLED]" : "",
               (p->flags & KPROBE_FLAG_OPTIMIZED) ? "[OPTIMIZED]" : "",
               (p->flags & KPROBE_FLAG_FTRACE) ? "[FTRACE]" : "",
               p->ainsn.hwbp ? "[HWBP]" : "");
    }
}
