/* Optprobes (TRACING.md mechanism 5; linux-tracing-notes.md section 7 scenarios 18-21)
 * on the build's --optprobe flavour (none: every probe must stay a breakpoint probe).
 * Self-checking (FAIL n, exit n): which probes are optimized and how many bytes each
 * replaces, no trap per hit, registers bit-identical after the detour and as the handler
 * saw them, hit counts equal to a breakpoint probe at the same address, results as
 * unprobed, each refusal, a second probe in the window, nmissed, disable/enable, and the
 * exact bytes back after unregister. */
#include "../probes/probetest.h"

#define PAT(n) (0x13570000ul + (n) * 0x111ul)
#if defined(CONFIG_OPTPROBE_CLASSIC)
#define CLASSIC 1
#define SPC 0
#elif defined(CONFIG_OPTPROBE_SPC)
#define CLASSIC 0
#define SPC 1
#else
#define CLASSIC 0
#define SPC 0
#endif
#define OPT (CLASSIC || SPC)
/* traps per hit of a breakpoint probe on an ALU instruction: boosted (Xspc) or not */
#ifdef CONFIG_XSPC
#define BP_TRAPS 1
#else
#define BP_TRAPS 2
#endif

int optprobe_site_bytes(const struct kprobe *p);
int optprobe_scratch_reg(const struct kprobe *p);

extern char opt_regs_at[], opt_add_at[], opt_rvc_at[], r_noreg_at[], r_pcrel_at[];
extern char r_target_at[], r_end_at[], r_indirect_at[];
extern unsigned long opt_regs_buf[32], opt_regs_sp;
void opt_regs_run(void);
long opt_add_fn(long), opt_rvc_fn(long), r_noreg_fn(long), r_pcrel_fn(long);
long r_target_fn(long, long), r_end_fn(long), r_indirect_fn(long);

static int hits, bad_regs, skip_reg = -1;
static unsigned long seen_epc;

static int pre_count(struct kprobe *p, struct pt_regs *regs)
{
    hits++;
    seen_epc = regs->epc;
    return 0;
}

static void post_nop(struct kprobe *p, struct pt_regs *regs, unsigned long flags) {}

/* The registers as the probe saw them: the patterns (and sp at the window). */
static int pre_regs(struct kprobe *p, struct pt_regs *regs)
{
    const unsigned long *x = (const unsigned long *)regs;   /* x[n] = xn, x[0] = epc */
    hits++;
    seen_epc = regs->epc;
    for (int n = 5; n < 32; n++)
        if (n != skip_reg && x[n] != PAT(n))
            bad_regs++;
    if (x[1] != PAT(1) || x[2] != opt_regs_sp)
        bad_regs++;
    return 0;
}

/* A handler may change registers: a3 takes the new value after the detour. */
static int pre_set_a3(struct kprobe *p, struct pt_regs *regs)
{
    hits++;
    regs->a3 = 0x777;
    return 0;
}

static long inner_result;
static int pre_calls_inner(struct kprobe *p, struct pt_regs *regs)
{
    hits++;
    inner_result = opt_rvc_fn(100);
    return 0;
}

/* Where an optimized site jumps (decoded from its bytes), for the timer test. */
static unsigned long detour_entry(const void *site)
{
    u32 a = word_at(site), j = word_at((const u8 *)site + 4);
    if (SPC)
        return half((const u8 *)site + 2) | (unsigned long)half((const u8 *)site + 4) << 16;
    if (CLASSIC)
        return (unsigned long)site + (long)(s32)(a & 0xfffff000u) + ((s32)j >> 20);
    return 0;
}

static unsigned long entry;
static int ticks, in_detour, armed, wrong;
static void tick(struct pt_regs *regs)
{
    ticks++;
    if (regs->epc >= entry && regs->epc < entry + 320)
        in_detour++;
#ifdef CONFIG_XSPC
    if (csr_read(CSR_MSPCTRIG) & 1)
        armed++;
#endif
#ifdef OPT_NESTED_TRAP
    /* A breakpoint probe hit inside the interrupt handler: a trap nested in a trap,
     * which must not lose the interrupted detour's pending shadow jump. */
    if (r_pcrel_fn(1) != 4)
        wrong++;
#endif
    clint_set_timer(clint_mtime() + 300 + (ticks * 13) % 97);
}

static u8 orig[16];
static void snap(const void *a) { for (int i = 0; i < 16; i++) orig[i] = ((volatile u8 *)a)[i]; }
static int same(const void *a)
{
    for (int i = 0; i < 16; i++)
        if (((volatile u8 *)a)[i] != orig[i])
            return 0;
    return 1;
}

static void reset(void) { hits = 0; trap_count = 0; bad_regs = 0; seen_epc = 0; }

/* Run opt_regs_run; the dump must be the patterns with the window's effect. */
static int regs_as_unprobed(unsigned long a3)
{
    unsigned long gp, tp;
    __asm__ volatile("mv %0, gp; mv %1, tp" : "=r"(gp), "=r"(tp));
    opt_regs_run();
    for (int n = 1; n < 32; n++) {
        unsigned long want = PAT(n);
        if (n == 2) want = opt_regs_sp;
        if (n == 3) want = gp;
        if (n == 4) want = tp;
        if (n == 10) want = PAT(10) + 0x11;
        if (n == 11) want = PAT(11) ^ 0x22;
        if (n == 12) want = PAT(12) + 0x33;
        if (n == 13) want = a3;
        if (n == 31) want = (unsigned long)opt_regs_buf;
        if (opt_regs_buf[n] != want) {
            printk("x%d = %lx, want %lx\n", n, opt_regs_buf[n], want);
            return 0;
        }
    }
    return 1;
}

/* Register kp at addr; report whether it was optimized and with how many bytes. */
static int reg(struct kprobe *kp, void *addr, kprobe_pre_handler_t pre,
               kprobe_post_handler_t post)
{
    memset(kp, 0, sizeof(*kp));
    kp->addr = addr;
    kp->pre_handler = pre;
    kp->post_handler = post;
    return register_kprobe(kp);
}
#define OPTIMIZED(kp) (!!((kp)->flags & KPROBE_FLAG_OPTIMIZED))

int main(void)
{
    static struct kprobe kp, kq;

#ifndef OPT_QUICK   /* the RTL run (a few hundred instructions/s) skips to the next part */
    /* 18: registers bit-identical after the detour; the handler saw them all. */
    CHECK(1, regs_as_unprobed(PAT(13)));
    snap(opt_regs_at);
    CHECK_EQ(2, reg(&kp, opt_regs_at, pre_regs, NULL), 0);
    CHECK_EQ(3, OPTIMIZED(&kp), OPT);
    CHECK_EQ(4, optprobe_site_bytes(&kp), OPT ? 8 : 0);
    if (CLASSIC)
        CHECK_EQ(5, optprobe_scratch_reg(&kp), 31);          /* t6, the only dead one */
    skip_reg = CLASSIC ? 31 : -1;
    CHECK(6, !same(opt_regs_at));
    reset();
    count_traps(1);
    int ok = regs_as_unprobed(PAT(13));
    count_traps(0);
    CHECK(7, ok);
    CHECK_EQ(8, hits, 1);
    CHECK_EQ(9, bad_regs, 0);
    CHECK_EQ(10, seen_epc, (unsigned long)opt_regs_at);
    CHECK_EQ(11, trap_count, OPT ? 0 : BP_TRAPS);
    kp.pre_handler = pre_set_a3;
    CHECK(12, regs_as_unprobed(0x777));
    unregister_kprobe(&kp);
    CHECK(13, same(opt_regs_at));                              /* 20: exact bytes back */
    CHECK(14, regs_as_unprobed(PAT(13)));

#endif
    /* Hit counts equal to a breakpoint probe at the same address (a post_handler keeps
     * it one), results as unprobed. */
    long want = opt_add_fn(0);
    CHECK_EQ(15, want, 15);
    snap(opt_add_at);
    CHECK_EQ(16, reg(&kp, opt_add_at, pre_count, NULL), 0);
    CHECK_EQ(17, OPTIMIZED(&kp), OPT);
    CHECK_EQ(18, optprobe_site_bytes(&kp), OPT ? 8 : 0);
    /* For the test to decode: the listing, and the site's parcels as patched. */
    kprobes_list_print();
    printk("site opt_add_at:");
    for (int i = 0; i < 8; i += 2)
        printk(" %04x", half(opt_add_at + i));
    printk("\n");
    reset();
    count_traps(1);
    for (long i = 0; i < 10; i++)
        CHECK_EQ(19, opt_add_fn(i), i + 15);
    count_traps(0);
    int opt_hits = hits;
    CHECK(20, OPT ? trap_count == 0 : trap_count >= 10);
    unregister_kprobe(&kp);
    CHECK(22, same(opt_add_at));
    CHECK_EQ(23, reg(&kp, opt_add_at, pre_count, post_nop), 0);   /* 19: post_handler */
    CHECK(24, !OPTIMIZED(&kp));
    reset();
    count_traps(1);
    for (long i = 0; i < 10; i++)
        CHECK_EQ(25, opt_add_fn(i), i + 15);
    count_traps(0);
    CHECK_EQ(26, hits, opt_hits);
    CHECK_EQ(27, hits, 10);
    CHECK(28, trap_count >= 10);
    unregister_kprobe(&kp);
    CHECK(29, same(opt_add_at));
#ifdef OPT_QUICK
    printk("optprobe test: all checks passed (quick)\n");   /* the RTL run stops here */
    return 0;
#endif

    /* Disable puts the original bytes back, enable optimizes again. */
    CHECK_EQ(30, reg(&kp, opt_add_at, pre_count, NULL), 0);
    CHECK_EQ(31, disable_kprobe(&kp), 0);
    CHECK(32, !OPTIMIZED(&kp));
    CHECK(33, same(opt_add_at));
    reset();
    CHECK_EQ(34, opt_add_fn(1), 16);
    CHECK_EQ(35, hits, 0);
    CHECK_EQ(36, enable_kprobe(&kp), 0);
    CHECK_EQ(37, OPTIMIZED(&kp), OPT);
    CHECK_EQ(38, opt_add_fn(1), 16);
    CHECK_EQ(39, hits, 1);

    /* 19: a second probe inside the window unoptimizes the first; both then hit. */
    CHECK_EQ(40, reg(&kq, opt_add_at + 4, pre_count, NULL), 0);
    CHECK(41, !OPTIMIZED(&kp));
    CHECK_EQ(42, OPTIMIZED(&kq), OPT);         /* its own window is fine */
    reset();
    CHECK_EQ(43, opt_add_fn(2), 17);
    CHECK_EQ(44, hits, 2);
    unregister_kprobe(&kp);
    unregister_kprobe(&kq);
    CHECK(45, same(opt_add_at));
    /* ... and a window that already holds a probe is not optimized. */
    CHECK_EQ(46, reg(&kq, opt_add_at + 4, pre_count, NULL), 0);
    CHECK_EQ(47, reg(&kp, opt_add_at, pre_count, NULL), 0);
    CHECK(48, !OPTIMIZED(&kp));
    reset();
    CHECK_EQ(49, opt_add_fn(3), 18);
    CHECK_EQ(50, hits, 2);
    unregister_kprobe(&kq);
    unregister_kprobe(&kp);
    CHECK(51, same(opt_add_at));

    /* A 16-bit instruction first: classic needs 10 bytes, spc 6. */
    snap(opt_rvc_at);
    CHECK_EQ(52, reg(&kp, opt_rvc_at, pre_count, NULL), 0);
    CHECK_EQ(53, OPTIMIZED(&kp), OPT);
    CHECK_EQ(54, optprobe_site_bytes(&kp), CLASSIC ? 10 : SPC ? 6 : 0);
    reset();
    CHECK_EQ(55, opt_rvc_fn(1), 12);
    CHECK_EQ(56, hits, 1);

    /* 21: an optimized probe hit from inside another's handler: nmissed, still runs. */
    CHECK_EQ(57, reg(&kq, opt_add_at, pre_calls_inner, NULL), 0);
    reset();
    CHECK_EQ(58, opt_add_fn(0), 15);
    CHECK_EQ(59, hits, 1);
    CHECK_EQ(60, inner_result, 111);
    CHECK_EQ(61, kp.nmissed, 1);
    unregister_kprobe(&kq);
    unregister_kprobe(&kp);
    CHECK(62, same(opt_rvc_at));

    /* 21: timer interrupts at every few cycles while the optimized probe runs, so some
     * land in the detour (and, spc, between lrw2spc and its trigger: mspctrig armed in
     * the handler; mret must still take the shadow jump). Results and hits as without. */
#ifdef OPT_NESTED_TRAP
    static struct kprobe nested_bp;
    CHECK_EQ(62, reg(&nested_bp, r_pcrel_at, NULL, NULL), 0);
#endif
    CHECK_EQ(63, reg(&kp, opt_add_at, pre_count, NULL), 0);
    entry = detour_entry(opt_add_at);
    reset();
    timer_set_handler(tick);
    clint_set_timer(clint_mtime() + 20);
    local_irq_enable();
    for (long i = 0; i < 300; i++)
        if (opt_add_fn(i) != i + 15)
            wrong++;
    local_irq_disable();
    clint_stop_timer();
    unregister_kprobe(&kp);
#ifdef OPT_NESTED_TRAP
    unregister_kprobe(&nested_bp);
#endif
    printk("ticks %d, in the detour %d, shadow jump pending %d\n", ticks, in_detour, armed);
    CHECK_EQ(64, wrong, 0);
    CHECK_EQ(65, hits, 300);
    CHECK(66, ticks > 100);
    CHECK(67, !OPT || in_detour > 10);
    CHECK(68, !SPC || armed > 0);

    /* Refusals: each stays a breakpoint probe that still works. */
    struct { void *at; long (*fn)(long); long arg, res; int spc_ok; } r[] = {
        { r_noreg_at, r_noreg_fn, 4, 7, 1 },          /* classic: no free register */
        { r_pcrel_at, r_pcrel_fn, 4, 7, 0 },          /* auipc in the window */
        { r_end_at, r_end_fn, 4, 7, 0 },              /* window crosses the end */
        { r_indirect_at, r_indirect_fn, 4, 7, 0 },    /* indirect jump in the function */
    };
    for (unsigned i = 0; i < ARRAY_SIZE(r); i++) {
        snap(r[i].at);
        CHECK_EQ(70 + i, reg(&kp, r[i].at, pre_count, NULL), 0);
        CHECK_EQ(80 + i, OPTIMIZED(&kp), SPC && r[i].spc_ok);
        reset();
        count_traps(1);
        long got = r[i].fn(r[i].arg);
        count_traps(0);
        CHECK_EQ(90 + i, got, r[i].res);
        CHECK_EQ(100 + i, hits, 1);
        CHECK(110 + i, OPTIMIZED(&kp) ? trap_count == 0 : trap_count >= 1);
        unregister_kprobe(&kp);
        CHECK(120 + i, same(r[i].at));
    }
    snap(r_target_at);                                /* a jump into the window */
    CHECK_EQ(130, reg(&kp, r_target_at, pre_count, NULL), 0);
    CHECK(131, !OPTIMIZED(&kp));
    reset();
    CHECK_EQ(132, r_target_fn(0, 3), 16);
    CHECK_EQ(133, hits, 1);
    unregister_kprobe(&kp);
    CHECK(134, same(r_target_at));

    printk("optprobe test: all checks passed\n");
    return 0;
}
