/* Kretprobes (Linux's kernel/kprobes.c kretprobe part with the riscv hook): a kprobe at
 * the function's entry takes a free instance (none: rp->nmissed++), saves the real ra
 * in it and points ra at kretprobe_trampoline; the trampoline calls
 * kretprobe_trampoline_handler, which runs the return handler and returns to the saved
 * address. Live instances form one LIFO stack (one hart, calls nest). */
#include <asm/csr.h>
#include "kprobes_internal.h"

#define KRETPROBE_DEFAULT_MAXACTIVE 10    /* Linux: max(10, 2 * NR_CPUS) */

struct kretprobe_pool {                    /* rp->pool */
    struct kretprobe_instance *free;
    int n;                                 /* allocations in mem */
    int orphan_live;                       /* unregistered: instances still on a stack */
    void *mem[];                           /* maxactive allocations */
};

static struct kretprobe_instance *active;  /* top = innermost live call */

static inline struct kretprobe *__kprobes to_kretprobe(struct kprobe *p)
{
    return (struct kretprobe *)((char *)p - __builtin_offsetof(struct kretprobe, kp));
}

int __kprobes pre_handler_kretprobe(struct kprobe *p, struct pt_regs *regs)
{
    struct kretprobe *rp = to_kretprobe(p);
    struct kretprobe_pool *pool = rp->pool;
    unsigned long flags = local_irq_save();
    struct kretprobe_instance *ri = pool->free;

    if (!ri) {
        rp->nmissed++;
        local_irq_restore(flags);
        return 0;
    }
    pool->free = ri->next;
    local_irq_restore(flags);
    ri->rp = rp;
    ri->pool = pool;
    if (rp->entry_handler && rp->entry_handler(ri, regs)) {
        flags = local_irq_save();          /* vetoed: no return hook for this call */
        ri->next = pool->free;
        pool->free = ri;
        local_irq_restore(flags);
        return 0;
    }
    ri->ret_addr = regs->ra;
    ri->fp = regs->sp;
    regs->ra = (unsigned long)kretprobe_trampoline;
    flags = local_irq_save();
    ri->next = active;
    active = ri;
    local_irq_restore(flags);
    return 0;
}

static void __kprobes free_pool_mem(struct kretprobe_pool *pool)
{
    for (int i = 0; i < pool->n; i++)
        probes_free(pool->mem[i]);
    probes_free(pool);
}

/* Back to its pool; the last live instance of an unregistered kretprobe frees it. */
static void __kprobes recycle(struct kretprobe_instance *ri)
{
    struct kretprobe_pool *pool = ri->pool;
    if (!ri->rp) {
        if (--pool->orphan_live == 0)
            free_pool_mem(pool);
        return;
    }
    ri->next = pool->free;
    pool->free = ri;
}

void __kprobes kretprobe_trampoline_handler(struct pt_regs *regs)
{
    unsigned long flags = local_irq_save();
    struct kretprobe_instance *ri = active;

    /* Frames left without returning (a longjmp over them) are below this one. */
    while (ri && ri->fp < regs->sp) {
        printk("kretprobe BUG!: dropping a stale instance at sp %lx\n", ri->fp);
        active = ri->next;
        recycle(ri);
        ri = active;
    }
    if (!ri || ri->fp != regs->sp)
        panic("kretprobe BUG!: no instance for the return at sp %lx", regs->sp);
    active = ri->next;
    local_irq_restore(flags);

    struct kretprobe *rp = ri->rp;
    regs->epc = ri->ret_addr;
    regs->ra = ri->ret_addr;
    if (rp && rp->handler) {                /* rp NULL: unregistered meanwhile */
        /* While the handler runs, probes it hits count as missed (as in Linux). */
        struct kprobe_ctlblk *kcb = get_kprobe_ctlblk();
        struct kprobe *prev = kprobe_running();
        unsigned long prev_status = kcb->kprobe_status;
        kprobe_set_running_status(&rp->kp, KPROBE_HIT_ACTIVE);
        rp->handler(ri, regs);
        kprobe_set_running_status(prev, prev_status);
    }
    regs->ra = regs->epc;                  /* the trampoline returns through ra */
    flags = local_irq_save();
    recycle(ri);
    local_irq_restore(flags);
}

static void __kprobes free_pool(struct kretprobe *rp)
{
    free_pool_mem(rp->pool);
    rp->pool = NULL;
}

int __kprobes register_kretprobe(struct kretprobe *rp)
{
    unsigned long addr, offset;
    int ret;

    probes_init();
    if (!rp || rp->pool)
        return -EINVAL;
    /* Only at a function's entry (Linux's kprobe_on_func_entry). */
    if (rp->kp.symbol_name && !rp->kp.addr)
        addr = kallsyms_lookup_name(rp->kp.symbol_name);
    else if (!rp->kp.symbol_name && rp->kp.addr)
        addr = (unsigned long)rp->kp.addr;
    else
        return -EINVAL;
    if (!addr)
        return -ENOENT;
    addr += rp->kp.offset;
    if (!kallsyms_lookup(addr, NULL, &offset) || offset)
        return -EINVAL;

    if (rp->maxactive <= 0)
        rp->maxactive = KRETPROBE_DEFAULT_MAXACTIVE;
    struct kretprobe_pool *pool = probes_alloc(sizeof(*pool) + rp->maxactive * sizeof(void *));
    if (!pool)
        return -ENOMEM;
    pool->free = NULL;
    pool->n = 0;
    pool->orphan_live = 0;
    rp->pool = pool;
    for (int i = 0; i < rp->maxactive; i++) {
        struct kretprobe_instance *ri = probes_alloc(sizeof(*ri) + rp->data_size);
        if (!ri) {
            free_pool(rp);
            return -ENOMEM;
        }
        pool->mem[pool->n++] = ri;
        ri->rp = rp;
        ri->pool = pool;
        ri->next = pool->free;
        pool->free = ri;
    }
    rp->nmissed = 0;
    rp->kp.pre_handler = pre_handler_kretprobe;
    rp->kp.post_handler = NULL;
    ret = register_kprobe(&rp->kp);
    if (ret)
        free_pool(rp);
    return ret;
}

/* Instances still on a stack lose their rp (as in Linux, no handler runs for them and
 * rp may go away); their returns still come to the trampoline, which takes them back
 * to the real caller, and the last one frees the pool. rp may be registered again. */
void __kprobes unregister_kretprobe(struct kretprobe *rp)
{
    if (!rp || !rp->pool)
        return;
    unregister_kprobe(&rp->kp);
    struct kretprobe_pool *pool = rp->pool;
    unsigned long flags = local_irq_save();
    for (struct kretprobe_instance *ri = active; ri; ri = ri->next)
        if (ri->rp == rp) {
            ri->rp = NULL;
            pool->orphan_live++;
        }
    rp->pool = NULL;
    if (!pool->orphan_live)
        free_pool_mem(pool);
    local_irq_restore(flags);
}

int __kprobes register_kretprobes(struct kretprobe **rps, int num)
{
    for (int i = 0; i < num; i++) {
        int ret = register_kretprobe(rps[i]);
        if (ret) {
            while (i--)
                unregister_kretprobe(rps[i]);
            return ret;
        }
    }
    return 0;
}

void __kprobes unregister_kretprobes(struct kretprobe **rps, int num)
{
    for (int i = 0; i < num; i++)
        unregister_kretprobe(rps[i]);
}
