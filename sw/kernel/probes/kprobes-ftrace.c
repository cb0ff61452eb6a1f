/* Kprobes on ftrace (TRACING.md mechanism 4): a kprobe at a function's ftrace site is
 * served by an ftrace callback instead of a breakpoint, so a hit costs no trap. The
 * listing shows it as [FTRACE]; with the patchable-entry schemes the site is the
 * function's entry (+0x0), with mcount it is the call inside the prologue (the talk's
 * +0x1a case; a probe at +0x0 of an mcount function stays a breakpoint probe).
 *
 * Semantics as Linux's arch/riscv/kernel/probes/ftrace.c: a hit while another kprobe
 * runs only counts nmissed; the pre_handler sees epc = the probed address; if it returns
 * 0 the site is "stepped" as if it were a nop: the post_handler sees epc = address +
 * MCOUNT_INSN_SIZE, then epc is put back so the function body runs; if it returns
 * non-zero it has set epc itself (ftrace resumes there, FTRACE_OPS_FL_IPMODIFY) and no
 * post_handler runs. */
#include <linux/kernel.h>
#include <linux/ftrace.h>
#include "kprobes_internal.h"
#include "../trace/ftrace_internal.h"

#ifdef CONFIG_FTRACE

static void __kprobes kprobe_ftrace_handler(unsigned long ip, unsigned long parent_ip,
                                            struct ftrace_ops *ops, struct ftrace_regs *fregs)
{
    (void)parent_ip; (void)ops;
    struct kprobe *p = get_kprobe((void *)ip);
    if (!p || !(p->flags & KPROBE_FLAG_FTRACE) || (p->flags & KPROBE_FLAG_DISABLED))
        return;
    if (kprobe_running()) {              /* hit from inside a handler: skipped, counted */
        p->nmissed++;
        return;
    }
    struct pt_regs *regs = ftrace_get_regs(fregs);
    struct kprobe_ctlblk *kcb = get_kprobe_ctlblk();
    unsigned long orig_epc = regs->epc;
    regs->epc = ip;
    kprobe_set_running_status(p, KPROBE_HIT_ACTIVE);
    if (!p->pre_handler || !p->pre_handler(p, regs)) {
        regs->epc = ip + MCOUNT_INSN_SIZE;
        if (p->post_handler) {
            kcb->kprobe_status = KPROBE_HIT_SSDONE;
            p->post_handler(p, regs, 0);
        }
        regs->epc = orig_epc;
    }
    kprobe_reset_running();
}

/* One ops for every ftrace kprobe, filtered to their sites. It guards its own recursion
 * (kprobe_running; no FTRACE_OPS_FL_RECURSION, as Linux's), so ftrace may call it
 * directly, and it needs every register for the handlers' pt_regs. */
static struct ftrace_ops kprobe_ftrace_ops = {
    .func = kprobe_ftrace_handler,
    .flags = FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_IPMODIFY,
};

int __kprobes arch_prepare_kprobe_ftrace(struct kprobe *p)
{
    unsigned long addr = (unsigned long)p->addr;
    unsigned long site = ftrace_site_containing(addr);
    if (!site)
        return 0;
    if (site != addr)
        return -EILSEQ;                  /* inside the site's instructions (as Linux) */
    if (kprobe_ftrace_ops.nr_filter == (int)ARRAY_SIZE(kprobe_ftrace_ops.filter_ip))
        return -ENOMEM;
    return 1;
}

void __kprobes arch_arm_kprobe_ftrace(struct kprobe *p)
{
    if (ftrace_set_filter_ip(&kprobe_ftrace_ops, (unsigned long)p->addr, 0, 0))
        return;
    if (!(kprobe_ftrace_ops.flags & FTRACE_OPS_FL_ENABLED))
        register_ftrace_function(&kprobe_ftrace_ops);
}

void __kprobes arch_disarm_kprobe_ftrace(struct kprobe *p)
{
    unsigned long ip = (unsigned long)p->addr;
    for (int i = 0; i < kprobe_ftrace_ops.nr_filter; i++)
        if (kprobe_ftrace_ops.filter_ip[i] == ip) {
            /* The last one: unregister first, an empty filter would trace everything. */
            if (kprobe_ftrace_ops.nr_filter == 1 &&
                (kprobe_ftrace_ops.flags & FTRACE_OPS_FL_ENABLED))
                unregister_ftrace_function(&kprobe_ftrace_ops);
            ftrace_set_filter_ip(&kprobe_ftrace_ops, ip, 1, 0);
            return;
        }
}
#endif
