/* Kprobes on ftrace (TRACING.md mechanism 4; linux-tracing-notes.md section 7 scenario
 * 16), on the build's ftrace scheme. Self-checking (FAIL n, exit n). A probe at the
 * function's ftrace site is served by ftrace: no trap, [FTRACE] in the listing, the
 * pre_handler sees epc = the site, the post_handler epc = site + MCOUNT_INSN_SIZE; a hit
 * from inside a handler counts nmissed; a pre_handler may redirect the call; disable,
 * enable and unregister flip the site and give the bytes back. */
#include "../probes/probetest.h"
#include <linux/ftrace.h>

#define TRACED __attribute__((noinline, noipa))
long TRACED kf_target(long x) { return 3 * x + 1; }
long TRACED kf_alt(long x) { return x - 100; }
long TRACED kf_nested(long x) { return x + 7; }

static unsigned long pre_epc, post_epc, pre_a0;
static int pre_hits, post_hits, nested_hits;
static long nested_ret;

static int pre(struct kprobe *p, struct pt_regs *regs)
{
    pre_hits++;
    pre_epc = regs->epc;
    pre_a0 = regs->a0;
    return 0;
}

static void post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
    post_hits++;
    post_epc = regs->epc;
}

/* Calls another probed function from the handler: that probe must be missed. */
static int pre_calls_nested(struct kprobe *p, struct pt_regs *regs)
{
    pre_hits++;
    nested_ret = kf_nested(5);
    return 0;
}

static int pre_nested(struct kprobe *p, struct pt_regs *regs)
{
    nested_hits++;
    return 0;
}

/* Send the call to kf_alt instead (the argument registers are untouched). */
static int pre_redirect(struct kprobe *p, struct pt_regs *regs)
{
    pre_hits++;
    regs->epc = (unsigned long)kf_alt;
    return 1;
}

static int ret_hits;
static long ret_value;
static int ret_seen(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    ret_hits++;
    ret_value = regs_return_value(regs);
    return 0;
}

static int ops_hits;
static void notrace count_ops(unsigned long ip, unsigned long parent_ip,
                              struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    ops_hits++;
}
static struct ftrace_ops plain_ops = { .func = count_ops };

static void reset(void)
{
    pre_epc = post_epc = pre_a0 = 0;
    pre_hits = post_hits = nested_hits = ops_hits = 0;
    trap_count = 0;
}

static u8 before[16];
static int bytes_equal(unsigned long site)
{
    for (int i = 0; i < MCOUNT_INSN_SIZE; i++)
        if (((volatile u8 *)site)[i] != before[i])
            return 0;
    return 1;
}

int main(void)
{
    unsigned long f = (unsigned long)kf_target, site = ftrace_location(f);
    long want = kf_target(4);
    CHECK_EQ(1, want, 13);
    CHECK(2, site != 0);
#ifdef CONFIG_FTRACE_MCOUNT
    CHECK(3, site > f);                  /* the call after the prologue */
#else
    CHECK_EQ(3, site, f);                /* patchable entry: the site is the entry */
#endif
    for (int i = 0; i < MCOUNT_INSN_SIZE; i++)
        before[i] = ((volatile u8 *)site)[i];

    /* At the site: an ftrace probe, no trap, Linux's epc for pre and post. */
    static struct kprobe kp = { .symbol_name = "kf_target", .pre_handler = pre,
                                .post_handler = post };
    kp.offset = site - f;
    CHECK_EQ(4, register_kprobe(&kp), 0);
    CHECK_EQ(5, (unsigned long)kp.addr, site);
    CHECK(6, kp.flags & KPROBE_FLAG_FTRACE);
    CHECK(7, ftrace_site_enabled(site));
    reset();
    count_traps(1);
    long got = kf_target(4);
    count_traps(0);
    CHECK_EQ(8, got, want);
    CHECK_EQ(9, trap_count, 0);
    CHECK_EQ(10, pre_hits, 1);
    CHECK_EQ(11, post_hits, 1);
    CHECK_EQ(12, pre_epc, site);
    CHECK_EQ(13, post_epc, site + MCOUNT_INSN_SIZE);
#ifndef CONFIG_FTRACE_MCOUNT
    CHECK_EQ(14, pre_a0, 4);             /* the argument (mcount: a0 holds the parent) */
#endif
    for (long i = 0; i < 10; i++)
        CHECK_EQ(15, kf_target(i), 3 * i + 1);
    CHECK_EQ(16, pre_hits, 11);
    kprobes_list_print();
#ifdef KF_QUICK
    unregister_kprobe(&kp);              /* the RTL run stops here */
    CHECK(17, bytes_equal(site));
    printk("kprobe_ftrace: all checks passed (%s, quick)\n", FTRACE_SCHEME);
    return 0;
#endif

    /* A probed function called from the handler: missed, still executed correctly. */
    static struct kprobe kn = { .symbol_name = "kf_nested", .pre_handler = pre_nested };
    kn.offset = ftrace_location((unsigned long)kf_nested) - (unsigned long)kf_nested;
    CHECK_EQ(17, register_kprobe(&kn), 0);
    CHECK(18, kn.flags & KPROBE_FLAG_FTRACE);
    kp.pre_handler = pre_calls_nested;
    kp.post_handler = NULL;
    reset();
    CHECK_EQ(19, kf_target(2), 7);
    CHECK_EQ(20, pre_hits, 1);
    CHECK_EQ(21, nested_hits, 0);
    CHECK_EQ(22, kn.nmissed, 1);
    CHECK_EQ(23, nested_ret, 12);
    CHECK_EQ(24, kf_nested(1), 8);       /* outside a handler: a hit */
    CHECK_EQ(25, nested_hits, 1);
    unregister_kprobe(&kn);

#ifndef CONFIG_FTRACE_MCOUNT
    /* The pre_handler moves epc: ftrace resumes there, no post_handler. (Not with
     * mcount: its site is inside the prologue, a frame is already built.) */
    kp.pre_handler = pre_redirect;
    kp.post_handler = post;
    reset();
    CHECK_EQ(26, kf_target(4), 4 - 100);
    CHECK_EQ(27, pre_hits, 1);
    CHECK_EQ(28, post_hits, 0);
#endif
    kp.pre_handler = pre;

    /* A plain ftrace_ops on the same function: both run. */
    CHECK_EQ(29, register_ftrace_function(&plain_ops), 0);
    CHECK_EQ(30, ftrace_set_filter_ip(&plain_ops, f, 0, 0), 0);
    reset();
    CHECK_EQ(31, kf_target(1), 4);
    CHECK_EQ(32, pre_hits, 1);
    CHECK_EQ(33, ops_hits, 1);
    CHECK_EQ(34, unregister_ftrace_function(&plain_ops), 0);

    /* Disabled: no hits, the site off; enabled again: hits. */
    CHECK_EQ(35, disable_kprobe(&kp), 0);
    CHECK(36, !ftrace_site_enabled(site));
    reset();
    CHECK_EQ(37, kf_target(3), 10);
    CHECK_EQ(38, pre_hits, 0);
    CHECK_EQ(39, enable_kprobe(&kp), 0);
    CHECK(40, ftrace_site_enabled(site));
    CHECK_EQ(41, kf_target(3), 10);
    CHECK_EQ(42, pre_hits, 1);

    /* Inside the site but not at its start: refused, text unchanged. */
    static struct kprobe inside = { .pre_handler = pre };
    inside.addr = (void *)(site + MCOUNT_INSN_SIZE - 4);
    u32 w = word_at(inside.addr);
    CHECK_EQ(43, register_kprobe(&inside), -EILSEQ);
    CHECK_EQ(44, word_at((void *)(site + MCOUNT_INSN_SIZE - 4)), w);

    /* Unregistered: the site off, its bytes as before, no more hits. */
    unregister_kprobe(&kp);
    CHECK(45, !ftrace_site_enabled(site));
    CHECK(46, bytes_equal(site));
    reset();
    CHECK_EQ(47, kf_target(4), want);
    CHECK_EQ(48, pre_hits, 0);

#ifndef CONFIG_FTRACE_MCOUNT
    /* A kretprobe at the entry rides the same ftrace path (its entry handler moves ra
     * through pt_regs, which the trampoline writes back). Not mcount: a kretprobe goes
     * at the function's first byte, which is not the site there. */
    static struct kretprobe rp = { .kp.symbol_name = "kf_target", .handler = ret_seen,
                                   .maxactive = 4 };
    rp.kp.offset = site - f;
    CHECK_EQ(55, register_kretprobe(&rp), 0);
    CHECK(56, rp.kp.flags & KPROBE_FLAG_FTRACE);
    reset();
    CHECK_EQ(57, kf_target(6), 19);
    CHECK_EQ(58, ret_hits, 1);
    CHECK_EQ(59, ret_value, 19);
    unregister_kretprobe(&rp);
    CHECK(60, bytes_equal(site));
#endif

#ifdef CONFIG_FTRACE_MCOUNT
    /* mcount: the entry is not the site, so a probe there is a breakpoint probe. */
    static struct kprobe entry = { .symbol_name = "kf_target", .pre_handler = pre };
    CHECK_EQ(49, register_kprobe(&entry), 0);
    CHECK(50, !(entry.flags & KPROBE_FLAG_FTRACE));
    reset();
    count_traps(1);
    CHECK_EQ(51, kf_target(4), want);
    count_traps(0);
    CHECK_EQ(52, pre_hits, 1);
    CHECK(53, trap_count >= 1);
    CHECK_EQ(54, pre_epc, f);
    unregister_kprobe(&entry);
#endif
    printk("kprobe_ftrace: all checks passed (%s)\n", FTRACE_SCHEME);
    return 0;
}
