/* Scenarios 5 (a probe hit inside a handler: nmissed, instruction still executed once),
 * 6 (an interrupt pending at the hit is not taken inside an ebreak slot, but after it)
 * and 7 (a fault in the slot is the probed instruction's fault: epc at the probe; a
 * fixed-up retry hits the probe again and succeeds). */
#include "probetest.h"

static int a_hits, b_hits, c_hits, post_hits;
static long inner_auipc, inner_load, inner_post_load;
static int loaded = 0x1234;

static int count_b(struct kprobe *p, struct pt_regs *regs) { b_hits++; return 0; }
static int count_c(struct kprobe *p, struct pt_regs *regs) { c_hits++; return 0; }
static int a_pre(struct kprobe *p, struct pt_regs *regs)
{
    a_hits++;
    inner_auipc = sim_auipc();           /* probed by b: simulated */
    inner_load = load_word(&loaded);     /* probed by c: stepped out of line */
    return 0;
}
static void a_post(struct kprobe *p, struct pt_regs *regs, unsigned long f)
{
    post_hits++;
    inner_post_load = load_word(&loaded);   /* reentry from post_handler (SSDONE) */
}

/* ---- scenario 6 ---- */
static unsigned long irq_epc;
static int irqs;
static void timer(struct pt_regs *regs)
{
    irqs++;
    irq_epc = regs->epc;
    clint_stop_timer();
}
static int fire_timer(struct kprobe *p, struct pt_regs *regs)
{
    clint_set_timer(0);                  /* pending at once: mtime >= 0 */
    return 0;
}
static void nop_post(struct kprobe *p, struct pt_regs *regs, unsigned long f) { post_hits++; }

/* ---- scenario 7 ---- */
static unsigned long fault_epc, fault_cause;
static int faults;
static int fixup(struct pt_regs *regs, unsigned long cause)
{
    if (cause != EXC_LOAD_ACCESS || regs->epc != (unsigned long)p_lw)
        return 0;
    faults++;
    fault_epc = regs->epc;
    fault_cause = cause;
    regs->a0 = (unsigned long)&loaded;   /* retry with a good address */
    return 1;
}
static struct fault_hook fixup_hook = { .fn = fixup };
static int lw_pre(struct kprobe *p, struct pt_regs *regs) { a_hits++; return 0; }

int main(void)
{
    long want_auipc = sim_auipc(), want_mix = alu_mix(2);
    struct kprobe a = { .addr = (void *)p_caddi, .pre_handler = a_pre, .post_handler = a_post };
    struct kprobe b = { .addr = (void *)p_auipc, .pre_handler = count_b };
    struct kprobe c = { .addr = (void *)p_lw, .pre_handler = count_c };
    CHECK_EQ(1, register_kprobe(&a), 0);
    CHECK_EQ(2, register_kprobe(&b), 0);
    CHECK_EQ(3, register_kprobe(&c), 0);
    CHECK_EQ(4, alu_mix(2), want_mix);
    CHECK_EQ(5, a_hits, 1);
    CHECK_EQ(6, post_hits, 1);
    CHECK_EQ(7, b_hits, 0);              /* handlers do not run for a reentered hit */
    CHECK_EQ(8, c_hits, 0);
    CHECK_EQ(9, b.nmissed, 1);
    CHECK_EQ(10, c.nmissed, 2);          /* from the pre_handler and the post_handler */
    CHECK_EQ(11, inner_auipc, want_auipc);
    CHECK_EQ(12, inner_load, 0x1234);
    CHECK_EQ(13, inner_post_load, 0x1234);
    CHECK(14, kprobe_running() == NULL);
    CHECK_EQ(15, sim_auipc(), want_auipc);   /* outside a handler: ordinary hits */
    CHECK_EQ(16, b_hits, 1);
    CHECK_EQ(17, a.nmissed, 0);
    unregister_kprobe(&a);
    unregister_kprobe(&b);
    unregister_kprobe(&c);

    /* Scenario 6: the timer fires during the hit. */
    timer_set_handler(timer);
    local_irq_enable();
    struct kprobe t = { .addr = (void *)p_slli, .pre_handler = fire_timer,
                        .post_handler = nop_post };
    CHECK_EQ(20, register_kprobe(&t), 0);
    post_hits = 0;
    CHECK_EQ(21, alu_mix(2), want_mix);
    CHECK_EQ(22, irqs, 1);
    CHECK_EQ(23, post_hits, 1);
    CHECK_EQ(24, irq_epc, (unsigned long)p_slli + 4);   /* after the step, not in the slot */
    unregister_kprobe(&t);
#ifdef CONFIG_XSPC
    /* Boosted: no second trap, interrupts stay on; one taken in the slot returns into
     * it and the shadow jump (mspc/mspctrig across the trap) still comes back. */
    struct kprobe tb = { .addr = (void *)p_slli, .pre_handler = fire_timer };
    CHECK_EQ(25, register_kprobe(&tb), 0);
    CHECK_EQ(26, alu_mix(2), want_mix);
    CHECK_EQ(27, irqs, 2);
    unsigned long slot = (unsigned long)tb.ainsn.insn;
    CHECK(28, irq_epc >= slot && irq_epc < slot + 24);
    unregister_kprobe(&tb);
#endif
    local_irq_disable();

    /* Scenario 7: the stepped load faults. */
    a_hits = post_hits = 0;
    struct kprobe f = { .addr = (void *)p_lw, .pre_handler = lw_pre, .post_handler = nop_post };
    CHECK_EQ(30, register_kprobe(&f), 0);
    register_fault_hook(&fixup_hook);
    CHECK_EQ(31, load_word((void *)0x10), 0x1234);  /* nothing is mapped at 0x10 */
    CHECK_EQ(32, faults, 1);
    CHECK_EQ(33, fault_epc, (unsigned long)p_lw);
    CHECK_EQ(34, a_hits, 2);             /* the retry hits the probe again */
    CHECK_EQ(35, post_hits, 1);
    CHECK(36, kprobe_running() == NULL);
    unregister_kprobe(&f);
    struct kprobe fb = { .addr = (void *)p_lw, .pre_handler = lw_pre };   /* boosted */
    CHECK_EQ(37, register_kprobe(&fb), 0);
    CHECK_EQ(38, load_word((void *)0x10), 0x1234);
    CHECK_EQ(39, faults, 2);
    CHECK_EQ(40, fault_epc, (unsigned long)p_lw);
    CHECK_EQ(41, a_hits, 4);
    unregister_kprobe(&fb);
    printk("PASS\n");
    return 0;
}
