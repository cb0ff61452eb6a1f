/* Breakpoint kprobes: registration, arming, and the trap-time state machine of Linux's
 * arch/riscv/kernel/probes/kprobes.c (pre_handler, XOL step or simulation,
 * post_handler, reentry, faults in the slot), plus two spcore additions: boosted XOL
 * slots that come back through lrw2spc (Xspc, one trap per hit) and hardware-breakpoint
 * probes on Sdtrig triggers (KPROBE_FLAG_HWBP). One hart: "per-CPU" state is global. */
#include <linux/module.h>
#include <asm/csr.h>
#include <asm/patch.h>
#include <asm/traps.h>
#include <asm/user.h>
#include "kprobes_internal.h"

#define EBREAK 0x00100073u
#define C_EBREAK 0x9002u

static struct kprobe *kprobe_table;          /* every registered kprobe, in order */
static struct kprobe *current_kprobe;
static struct kprobe_ctlblk kcb;

struct kprobe *__kprobes kprobe_running(void) { return current_kprobe; }
void __kprobes kprobe_reset_running(void) { current_kprobe = NULL; }
void __kprobes kprobe_set_running_status(struct kprobe *p, unsigned long status)
{
    unsigned long flags = local_irq_save();
    kcb.kprobe_status = status;
    current_kprobe = p;
    local_irq_restore(flags);
}
struct kprobe_ctlblk *__kprobes get_kprobe_ctlblk(void) { return &kcb; }

struct kprobe *__kprobes get_kprobe(void *addr)
{
    for (struct kprobe *p = kprobe_table; p; p = p->next)
        if (p->addr == addr)
            return p;
    return NULL;
}

/* ---- weak defaults: no ftrace, no optimizer ---- */
int __weak arch_prepare_kprobe_ftrace(struct kprobe *p) { (void)p; return 0; }
void __weak arch_disarm_kprobe_ftrace(struct kprobe *p) { (void)p; }
void __weak arch_arm_kprobe_ftrace(struct kprobe *p) { (void)p; }
void __weak arch_optimize_kprobe(struct kprobe *p) { (void)p; }
void __weak arch_unoptimize_kprobe(struct kprobe *p) { (void)p; }
int __weak arch_check_optimized_kprobe(unsigned long addr) { (void)addr; return 0; }
int __weak arch_optimized_parcel(unsigned long addr, u16 *parcel)
{
    (void)addr; (void)parcel;
    return 0;
}

/* ---- where probes may go ---- */
extern char _start[], __kprobes_text_end[];
extern const unsigned long __start_kprobe_blacklist[], __stop_kprobe_blacklist[];

/* Inside a function named by NOKPROBE_SYMBOL (the _kprobe_blacklist section, as Linux's):
 * the start of the function containing addr is one of the listed addresses. */
static int __kprobes within_nokprobe_symbols(unsigned long addr)
{
    unsigned long size, offset;
    if (!kallsyms_lookup(addr, &size, &offset))
        return 0;
    for (const unsigned long *f = __start_kprobe_blacklist; f < __stop_kprobe_blacklist; f++)
        if (*f == addr - offset)
            return 1;
    return 0;
}

/* The trap path outside .kprobes.text, by name (Linux's NOKPROBE_SYMBOL list). */
static const char *const blacklist[] = {
    "do_trap", "patch_text", "patch_text_nosync", "register_break_hook",
    "register_fault_hook", "user_task_fault", "user_task_syscall", "show_regs", "panic",
    "sim_exit",
};

/* The blacklist's address ranges, looked up once: kallsyms_lookup_name is a linear
 * scan, and doing it per name at every registration made registering cost tens of
 * thousands of instructions (slow on the RTL simulator). */
static unsigned long bl_start[ARRAY_SIZE(blacklist)], bl_end[ARRAY_SIZE(blacklist)];

static int __kprobes within_blacklist(unsigned long addr)
{
    static int resolved;
    if (addr >= (unsigned long)_start && addr < (unsigned long)__kprobes_text_end)
        return 1;
    if (within_nokprobe_symbols(addr))
        return 1;
    if (!resolved) {
        for (unsigned i = 0; i < ARRAY_SIZE(blacklist); i++) {
            unsigned long size, f = kallsyms_lookup_name(blacklist[i]);
            if (f && kallsyms_lookup(f, &size, NULL)) {
                bl_start[i] = f;
                bl_end[i] = f + (size ? size : 1);
            }
        }
        resolved = 1;
    }
    for (unsigned i = 0; i < ARRAY_SIZE(blacklist); i++)
        if (addr >= bl_start[i] && addr < bl_end[i])
            return 1;
    return 0;
}

/* The parcel at a as the text was before any probe: an optimized region's saved
 * instructions, a breakpoint's saved opcode, else the text itself. */
u16 __kprobes kprobe_original_parcel(unsigned long a)
{
    u16 h;
    if (arch_optimized_parcel(a, &h))
        return h;
    for (int back = 0; back <= 4; back += 2) {   /* a breakpoint covering a */
        struct kprobe *p = get_kprobe((void *)(a - back));
        if (p && !(p->flags & KPROBE_FLAG_FTRACE) && back < p->ainsn.len)
            return p->opcode[back / 2];
    }
    return *(const volatile u16 *)a;
}

/* Walks the function from its start by instruction lengths, read from the original text
 * (a c.ebreak over a 48-bit c.jall must not make the walk step into its literal). */
int __kprobes kprobe_insn_boundary(unsigned long addr)
{
    unsigned long size, offset;
    if (addr & 1)
        return -EILSEQ;
    if (!kallsyms_lookup(addr, &size, &offset))
        return -EINVAL;
    for (unsigned long a = addr - offset; a <= addr;) {
        if (a == addr)
            return 0;
        int len = riscv_insn_length(kprobe_original_parcel(a));
        a += len ? len : 2;
    }
    return -EILSEQ;
}

/* ---- arming ---- */
static void __kprobes copy_parcels(kprobe_opcode_t *dst, const void *src, int len)
{
    const volatile u16 *s = src;
    for (int i = 0; i < len / 2; i++)
        dst[i] = s[i];
}

/* The breakpoint covers the first parcel of a 16- and 48-bit instruction (c.ebreak: a
 * c.jall keeps its whole literal) and the whole of a 32-bit one (ebreak). */
static int __kprobes bp_len(const struct kprobe *p)
{
    return p->ainsn.len == 4 ? 4 : 2;
}

static void __kprobes arch_arm_kprobe(struct kprobe *p)
{
    if (p->flags & KPROBE_FLAG_FTRACE) {
        arch_arm_kprobe_ftrace(p);
        return;
    }
    if (p->flags & KPROBE_FLAG_HWBP) {
        int t = hwbp_install((unsigned long)p->addr);
        if (t >= 0) {
            p->ainsn.hwbp = t + 1;
            return;
        }
        /* triggers used up: fall back to a software breakpoint */
    }
    u32 bp = p->ainsn.len == 4 ? EBREAK : C_EBREAK;
    patch_text(p->addr, &bp, bp_len(p));
    if (!p->post_handler)
        arch_optimize_kprobe(p);
}

static void __kprobes arch_disarm_kprobe(struct kprobe *p)
{
    if (p->flags & KPROBE_FLAG_OPTIMIZED)
        arch_unoptimize_kprobe(p);
    if (p->flags & KPROBE_FLAG_FTRACE) {
        arch_disarm_kprobe_ftrace(p);
        return;
    }
    if (p->ainsn.hwbp) {
        hwbp_remove(p->ainsn.hwbp - 1);
        p->ainsn.hwbp = 0;
        return;
    }
    patch_text(p->addr, p->opcode, bp_len(p));
}

static int __kprobes is_registered(struct kprobe *p)
{
    for (struct kprobe *q = kprobe_table; q; q = q->next)
        if (q == p)
            return 1;
    return 0;
}

/* Resolve symbol_name/addr + offset (Linux's _kprobe_addr). */
static long __kprobes kprobe_addr(struct kprobe *p, unsigned long *addr)
{
    unsigned long a = (unsigned long)p->addr;
    if ((p->symbol_name && p->addr) || (!p->symbol_name && !p->addr))
        return -EINVAL;
    if (p->symbol_name) {
        a = kallsyms_lookup_name(p->symbol_name);
        if (!a)
            return -ENOENT;
    }
    *addr = a + p->offset;
    return 0;
}

/* Everything that can refuse, before any text changes. */
static int __kprobes prepare_kprobe(struct kprobe *p, unsigned long addr)
{
    int ret;
    if (addr & 1)
        return -EILSEQ;
    if (within_blacklist(addr) ||
        (addr >= (unsigned long)__user_start && addr < (unsigned long)__user_end))
        return -EINVAL;
    /* First, so the boundary walk below reads the original instructions, not the jump
     * of an optimized probe whose window covers addr (it is unoptimized for the new one). */
    ret = arch_check_optimized_kprobe(addr);
    if (ret)
        return ret;
    ret = kprobe_insn_boundary(addr);
    if (ret)
        return ret;
    if (get_kprobe((void *)addr))
        return -EEXIST;

    p->addr = (kprobe_opcode_t *)addr;
    ret = arch_prepare_kprobe_ftrace(p);
    if (ret < 0)
        return ret;
    if (ret > 0) {
        p->flags |= KPROBE_FLAG_FTRACE;
        return 0;
    }
    copy_parcels(p->opcode, (void *)addr, 2);
    int len = riscv_insn_length(p->opcode[0]);
    if (len > 2)
        copy_parcels(p->opcode, (void *)addr, len);
    switch (riscv_probe_decode_insn(p->opcode, addr, &p->ainsn)) {
    case INSN_REJECTED:
        return -EINVAL;
    case INSN_GOOD_NO_SLOT:
        p->ainsn.insn = NULL;
        p->ainsn.restore = 0;
        return 0;
    case INSN_GOOD:
        p->ainsn.insn = get_insn_slot();
        if (!p->ainsn.insn)
            return -ENOMEM;
        p->ainsn.restore = addr + p->ainsn.len;
        arch_prepare_ss_slot(p->ainsn.insn, p->opcode, p->ainsn.len, p->ainsn.restore);
        return 0;
    }
    return -EINVAL;
}

int __kprobes register_kprobe(struct kprobe *p)
{
    unsigned long addr;
    long ret;

    probes_init();
    if (!p)
        return -EINVAL;
    if (current_kprobe)                  /* not from a probe handler */
        return -EBUSY;
    if (is_registered(p))
        return -EINVAL;
    ret = kprobe_addr(p, &addr);
    if (ret)
        return ret;
    kprobe_opcode_t *saved_addr = p->addr;
    p->flags &= KPROBE_FLAG_DISABLED | KPROBE_FLAG_HWBP;
    p->nmissed = 0;
    p->ainsn.insn = NULL;
    p->ainsn.hwbp = 0;
    ret = prepare_kprobe(p, addr);
    if (ret) {
        p->addr = saved_addr;            /* refused: the text and the probe unchanged */
        p->flags &= KPROBE_FLAG_DISABLED | KPROBE_FLAG_HWBP;
        return ret;
    }
    p->next = NULL;
    struct kprobe **pp = &kprobe_table;
    while (*pp)
        pp = &(*pp)->next;
    *pp = p;
    if (!(p->flags & KPROBE_FLAG_DISABLED))
        arch_arm_kprobe(p);
    else if (p->flags & KPROBE_FLAG_FTRACE)
        arch_disarm_kprobe_ftrace(p);
    return 0;
}

void __kprobes unregister_kprobe(struct kprobe *p)
{
    if (!p || !is_registered(p))
        return;
    if (!(p->flags & KPROBE_FLAG_DISABLED))
        arch_disarm_kprobe(p);
    for (struct kprobe **pp = &kprobe_table; *pp; pp = &(*pp)->next)
        if (*pp == p) {
            *pp = p->next;
            break;
        }
    if (p->ainsn.insn && p != current_kprobe)   /* a running probe's slot is in use */
        free_insn_slot(p->ainsn.insn);
    p->ainsn.insn = NULL;
    p->next = NULL;
}

int __kprobes register_kprobes(struct kprobe **kps, int num)
{
    for (int i = 0; i < num; i++) {
        int ret = register_kprobe(kps[i]);
        if (ret) {
            while (i--)
                unregister_kprobe(kps[i]);
            return ret;
        }
    }
    return 0;
}

void __kprobes unregister_kprobes(struct kprobe **kps, int num)
{
    for (int i = 0; i < num; i++)
        unregister_kprobe(kps[i]);
}

int __kprobes disable_kprobe(struct kprobe *p)
{
    if (!p || !is_registered(p))
        return -EINVAL;
    if (!(p->flags & KPROBE_FLAG_DISABLED)) {
        arch_disarm_kprobe(p);
        p->flags |= KPROBE_FLAG_DISABLED;
    }
    return 0;
}

int __kprobes enable_kprobe(struct kprobe *p)
{
    if (!p || !is_registered(p) || (p->flags & KPROBE_FLAG_GONE))
        return -EINVAL;
    if (p->flags & KPROBE_FLAG_DISABLED) {
        p->flags &= ~KPROBE_FLAG_DISABLED;
        arch_arm_kprobe(p);
    }
    return 0;
}

/* ---- trap time ---- */
static void __kprobes post_kprobe_handler(struct kprobe *cur, struct pt_regs *regs)
{
    if (cur->ainsn.restore)
        regs->epc = cur->ainsn.restore;
    if (kcb.kprobe_status == KPROBE_REENTER) {
        current_kprobe = kcb.prev_kprobe.kp;
        kcb.kprobe_status = kcb.prev_kprobe.status;
        return;
    }
    kcb.kprobe_status = KPROBE_HIT_SSDONE;
    if (cur->post_handler)
        cur->post_handler(cur, regs, 0);
    current_kprobe = NULL;
}

static void __kprobes setup_singlestep(struct kprobe *p, struct pt_regs *regs, int reenter)
{
    if (reenter) {
        kcb.prev_kprobe.kp = current_kprobe;
        kcb.prev_kprobe.status = kcb.kprobe_status;
        current_kprobe = p;
        kcb.kprobe_status = KPROBE_REENTER;
    } else {
        kcb.kprobe_status = KPROBE_HIT_SS;
    }
    if (!p->ainsn.insn) {
        if (riscv_probe_simulate(&p->ainsn, p->opcode, (unsigned long)p->addr, regs))
            panic("kprobes: cannot simulate the instruction at %pS", p->addr);
        post_kprobe_handler(p, regs);
        return;
    }
#ifdef CONFIG_XSPC
    if (!reenter && !p->post_handler) {
        /* Boosted: the slot ends in lrw2spc, which jumps back by itself. Nothing more
         * happens in the trap path, so the probe is done now and interrupts may stay
         * as they were (an interrupt in the slot returns into it). */
        regs->epc = (unsigned long)p->ainsn.insn + KPROBE_SLOT_BOOST_END - p->ainsn.len;
        current_kprobe = NULL;
        return;
    }
#endif
    /* No interrupt between mret and the slot's ebreak (MPIE = 0: MIE stays 0). */
    kcb.saved_status = regs->status;
    regs->status &= ~SR_MPIE;
    regs->epc = (unsigned long)p->ainsn.insn;
}

int __kprobes kprobe_breakpoint_handler(struct pt_regs *regs)
{
    unsigned long addr = regs->epc;
    struct kprobe *p;

    if (user_mode(regs))
        return 0;
    p = get_kprobe((void *)addr);
    if (!p || (p->flags & (KPROBE_FLAG_FTRACE | KPROBE_FLAG_DISABLED)))
        return 0;                        /* not ours: the next hook or the fatal report */
    if (current_kprobe) {
        switch (kcb.kprobe_status) {
        case KPROBE_HIT_ACTIVE:
        case KPROBE_HIT_SSDONE:
            p->nmissed++;
            setup_singlestep(p, regs, 1);
            break;
        default:
            printk("kprobes: Failed to recover from reentered kprobes.\n");
            printk("Dumping kprobe: %pS (running %pS)\n", p->addr, current_kprobe->addr);
            BUG();
        }
        return 1;
    }
    current_kprobe = p;
    kcb.kprobe_status = KPROBE_HIT_ACTIVE;
    if (!p->pre_handler || !p->pre_handler(p, regs))
        setup_singlestep(p, regs, 0);
    else
        current_kprobe = NULL;           /* the handler set epc: no step */
    return 1;
}

int __kprobes kprobe_single_step_handler(struct pt_regs *regs)
{
    struct kprobe *cur = current_kprobe;
    if (user_mode(regs) || !cur || !(kcb.kprobe_status & (KPROBE_HIT_SS | KPROBE_REENTER)) ||
        !cur->ainsn.insn || regs->epc != (unsigned long)cur->ainsn.insn + cur->ainsn.len)
        return 0;
    regs->status = kcb.saved_status;
    post_kprobe_handler(cur, regs);
    return 1;
}

/* A fault in an XOL slot is the probed instruction's fault: epc back to the probe, then
 * let the ordinary fault handling (the next hooks, or the fatal report) have it. */
int __kprobes kprobe_fault_handler(struct pt_regs *regs, unsigned long cause)
{
    struct kprobe *cur = current_kprobe;
    (void)cause;
    if (user_mode(regs))
        return 0;
    if (cur && (kcb.kprobe_status & (KPROBE_HIT_SS | KPROBE_REENTER)) && cur->ainsn.insn &&
        insn_slot_of(regs->epc) == cur->ainsn.insn) {
        regs->epc = (unsigned long)cur->addr;
        regs->status = kcb.saved_status;
        if (kcb.kprobe_status == KPROBE_REENTER) {
            current_kprobe = kcb.prev_kprobe.kp;
            kcb.kprobe_status = kcb.prev_kprobe.status;
        } else {
            current_kprobe = NULL;
        }
        return 0;
    }
    kprobe_opcode_t *slot = insn_slot_of(regs->epc);   /* a boosted slot: no state */
    if (slot)
        for (struct kprobe *p = kprobe_table; p; p = p->next)
            if (p->ainsn.insn == slot) {
                regs->epc = (unsigned long)p->addr;
                break;
            }
    return 0;
}

/* ---- hook chains (Linux's handle_break order) ---- */
static int __kprobes break_hook_fn(struct pt_regs *regs)
{
    return kprobe_single_step_handler(regs) || kprobe_breakpoint_handler(regs) ||
           uprobe_single_step_handler(regs) || uprobe_breakpoint_handler(regs);
}

static int __kprobes fault_hook_fn(struct pt_regs *regs, unsigned long cause)
{
    return kprobe_fault_handler(regs, cause) || uprobe_fault_handler(regs, cause);
}

static struct break_hook probes_break_hook = { .fn = break_hook_fn };
static struct fault_hook probes_fault_hook = { .fn = fault_hook_fn };

void __kprobes probes_init(void)
{
    static int done;
    if (done)
        return;
    done = 1;
    register_break_hook(&probes_break_hook);
    register_fault_hook(&probes_fault_hook);
}

/* Before any user module_init, so the hooks come first on the chains. */
static int __kprobes probes_initcall(void)
{
    probes_init();
    return 0;
}
module_init(probes_initcall);

struct kprobe *__kprobes kprobe_first(void) { return kprobe_table; }
