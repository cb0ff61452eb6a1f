/* Uprobes on the U-mode task (Linux's kernel/events/uprobes.c + arch/riscv/kernel/
 * probes/uprobes.c, for one task with one address space): c.ebreak is written over the
 * first parcel of the probed instruction (always, C being on, as Linux does); its trap
 * comes to M-mode, the consumers' handlers run there, then the instruction is simulated
 * on the task's registers or stepped out of line in U-mode in a slot inside the task's
 * PMP region (slot 0 is the uretprobe trampoline). The kernel stays behind PMP. */
#include <linux/uprobes.h>
#include <asm/patch.h>
#include <asm/user.h>
#include "kprobes_internal.h"

#define EBREAK 0x00100073u
#define C_EBREAK 0x9002u
#define MAX_UPROBES 16
#define MAX_URETPROBES 16

struct uprobe {
    unsigned long vaddr;                  /* 0: free entry */
    struct uprobe_consumer *consumers;
    kprobe_opcode_t opcode[3];
    struct arch_specific_insn ainsn;
};

/* The task's XOL area, in its own region (link.ld places .user.xol there). */
struct xol_area {
    u32 trampoline;                        /* slot 0: ebreak, for uretprobes */
    u32 pad;
    u16 slot[4];                           /* slot 1: insn ; ebreak */
};
static struct xol_area xol __attribute__((section(".user.xol"), aligned(8)));

static struct uprobe uprobes[MAX_UPROBES];
static int stepping;                       /* an instruction is in the slot */
static unsigned long step_vaddr;           /* ... copied from here */
static int step_len;
unsigned long uprobe_xol_trapped;          /* faults of stepped instructions (tests read) */

struct return_instance {
    struct uprobe *uprobe;
    unsigned long orig_ret_vaddr, sp;
};
static struct return_instance ret_stack[MAX_URETPROBES];
static int ret_depth;
unsigned long uretprobe_nmissed;

static struct uprobe *__kprobes find_uprobe(unsigned long vaddr)
{
    for (int i = 0; i < MAX_UPROBES; i++)
        if (uprobes[i].vaddr == vaddr)
            return &uprobes[i];
    return NULL;
}

static int __kprobes in_user_text(unsigned long a)
{
    return a >= (unsigned long)__user_start && a < (unsigned long)__user_end;
}

int __kprobes uprobe_register(unsigned long uaddr, struct uprobe_consumer *uc)
{
    probes_init();
    if (!uc || (!uc->handler && !uc->ret_handler))
        return -EINVAL;
    if (!in_user_text(uaddr) || (uaddr >= (unsigned long)&xol &&
                                 uaddr < (unsigned long)&xol + sizeof(xol)))
        return -EINVAL;
    int ret = kprobe_insn_boundary(uaddr);
    if (ret)
        return ret;
    struct uprobe *u = find_uprobe(uaddr);
    if (u) {
        for (struct uprobe_consumer *c = u->consumers; c; c = c->next)
            if (c == uc)
                return -EEXIST;
        uc->next = u->consumers;
        u->consumers = uc;
        return 0;
    }
    u = find_uprobe(0);
    if (!u)
        return -ENOMEM;
    const volatile u16 *text = (const u16 *)uaddr;
    int len = riscv_insn_length(text[0]);
    for (int i = 0; i < (len ? len : 2) / 2; i++)
        u->opcode[i] = text[i];
    if (riscv_probe_decode_insn(u->opcode, uaddr, &u->ainsn) == INSN_REJECTED)
        return -EINVAL;
    u->vaddr = uaddr;
    uc->next = NULL;
    u->consumers = uc;
    if (!xol.trampoline) {
        u32 ebreak = EBREAK;
        patch_text(&xol.trampoline, &ebreak, 4);
    }
    u16 bp = C_EBREAK;
    patch_text((void *)uaddr, &bp, 2);
    return 0;
}

void __kprobes uprobe_unregister(unsigned long uaddr, struct uprobe_consumer *uc)
{
    struct uprobe *u = uaddr ? find_uprobe(uaddr) : NULL;
    if (!u)
        return;
    for (struct uprobe_consumer **pp = &u->consumers; *pp; pp = &(*pp)->next)
        if (*pp == uc) {
            *pp = uc->next;
            break;
        }
    if (u->consumers)
        return;
    patch_text((void *)uaddr, u->opcode, 2);
    u->vaddr = 0;                          /* a step under way still completes */
}

static void __kprobes handle_uretprobe(struct pt_regs *regs)
{
    /* Frames that never returned (the task longjmp'd) sit above sp: drop them. */
    while (ret_depth && ret_stack[ret_depth - 1].sp < regs->sp)
        ret_depth--;
    if (!ret_depth) {
        printk("uretprobe: return without an instance\n");
        return;                            /* epc stays on the trampoline: task faults */
    }
    struct return_instance *ri = &ret_stack[--ret_depth];
    regs->epc = ri->orig_ret_vaddr;
    regs->ra = ri->orig_ret_vaddr;
    if (ri->uprobe->vaddr)
        for (struct uprobe_consumer *c = ri->uprobe->consumers; c; c = c->next)
            if (c->ret_handler)
                c->ret_handler(c, ri->uprobe->vaddr, regs);
}

int __kprobes uprobe_breakpoint_handler(struct pt_regs *regs)
{
    if (!user_mode(regs))
        return 0;
    if (regs->epc == (unsigned long)&xol.trampoline) {
        handle_uretprobe(regs);
        return 1;
    }
    struct uprobe *u = find_uprobe(regs->epc);
    if (!u || !regs->epc)
        return 0;
    unsigned long vaddr = u->vaddr;
    int want_ret = 0;
    for (struct uprobe_consumer *c = u->consumers; c; c = c->next) {
        if (c->handler)
            c->handler(c, regs);
        want_ret |= c->ret_handler != NULL;
    }
    if (want_ret) {                        /* arch_uretprobe_hijack_return_addr */
        if (ret_depth < MAX_URETPROBES) {
            ret_stack[ret_depth].uprobe = u;
            ret_stack[ret_depth].orig_ret_vaddr = regs->ra;
            ret_stack[ret_depth].sp = regs->sp;
            ret_depth++;
            regs->ra = (unsigned long)&xol.trampoline;
        } else {
            uretprobe_nmissed++;
        }
    }
    if (regs->epc != vaddr)                /* a handler moved the task: no step */
        return 1;
    if (u->ainsn.kind != SIM_NONE) {       /* arch_uprobe_skip_sstep */
        if (riscv_probe_simulate(&u->ainsn, u->opcode, vaddr, regs))
            regs->epc = vaddr + u->ainsn.len;
        return 1;
    }
    /* arch_uprobe_pre_xol: copy insn ; ebreak into the slot, step it in U-mode. */
    u32 ebreak = EBREAK;
    patch_text_nosync(xol.slot, u->opcode, u->ainsn.len);
    patch_text_nosync((u8 *)xol.slot + u->ainsn.len, &ebreak, 4);
    stepping = 1;
    step_vaddr = vaddr;
    step_len = u->ainsn.len;
    regs->epc = (unsigned long)xol.slot;
    return 1;
}

int __kprobes uprobe_single_step_handler(struct pt_regs *regs)
{
    if (!user_mode(regs) || !stepping || regs->epc != (unsigned long)xol.slot + step_len)
        return 0;
    regs->epc = step_vaddr + step_len;     /* arch_uprobe_post_xol */
    stepping = 0;
    return 1;
}

/* arch_uprobe_xol_was_trapped: the stepped instruction faulted. The fault is the
 * probed instruction's: epc back to it, then the ordinary user-fault path. */
int __kprobes uprobe_fault_handler(struct pt_regs *regs, unsigned long cause)
{
    (void)cause;
    if (!user_mode(regs) || !stepping || regs->epc < (unsigned long)xol.slot ||
        regs->epc >= (unsigned long)xol.slot + step_len)
        return 0;
    regs->epc = step_vaddr;
    stepping = 0;
    uprobe_xol_trapped++;
    return 0;
}
