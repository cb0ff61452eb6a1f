#ifndef _LINUX_UPROBES_H
#define _LINUX_UPROBES_H
/* Uprobes on the U-mode task, with Linux's names (include/linux/uprobes.h) reduced to
 * one task: a probe is named by its user address. Declared here; implemented by the
 * tracing runtime (sw/kernel/probes). */
#include <linux/types.h>
#include <asm/ptrace.h>

struct uprobe_consumer {
    int (*handler)(struct uprobe_consumer *self, struct pt_regs *regs);
    int (*ret_handler)(struct uprobe_consumer *self, unsigned long func, struct pt_regs *regs);
    struct uprobe_consumer *next;
};

int uprobe_register(unsigned long uaddr, struct uprobe_consumer *uc);
void uprobe_unregister(unsigned long uaddr, struct uprobe_consumer *uc);

/* spcore additions (for tests): how many stepped instructions faulted (Linux's
 * arch_uprobe_xol_was_trapped cases), and uretprobes missed for lack of an instance. */
extern unsigned long uprobe_xol_trapped;
extern unsigned long uretprobe_nmissed;
#endif
