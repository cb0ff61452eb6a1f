/* Cycles per hit of the kprobe family (TRACING.md "What must be measured"), one row per
 * mechanism this build has. Which rows a build gives:
 *   k      breakpoint kprobe, single-stepped out of line (two traps)   without Xspc
 *   b-spc  the same probe on an Xspc build: boosted slot, one trap     with Xspc
 *   b      breakpoint kprobe on auipc, simulated (one trap)
 *   o-classic / o-spc   optprobe of the --optprobe flavour of this build
 *   kret / kret-spc     kretprobe entry + return
 *   u                   uprobe on the U-mode task (U-mode XOL step)
 *   hwbp / hwbp-spc     kprobe on a Sdtrig trigger instead of ebreak
 * Every probe has only an empty pre_handler (a post_handler would turn boosting off, as
 * on x86); the k/b/hwbp sites are ones the optimizer refuses (see targets.S), and each
 * row checks how its probe was armed (`via`) before it is timed. */
#include <linux/kprobes.h>
#include <linux/uprobes.h>
#include <asm/user.h>
#include "bench.h"

#ifdef CONFIG_XSPC
#define SPC_SUFFIX "-spc"
#else
#define SPC_SUFFIX ""
#endif

long bench_step_fn(long), bench_sim_fn(long), bench_opt_fn(long), bench_ret_fn(long);
long bench_user_loop(long);
extern char bench_step_at[], bench_sim_at[], bench_opt_at[], bench_user_fn[], bench_user_at[];

static volatile int counted;

static int pre_empty(struct kprobe *p, struct pt_regs *regs) { return 0; }
static int pre_count(struct kprobe *p, struct pt_regs *regs) { counted++; return 0; }

static const char *via_of(const struct kprobe *p)
{
    if (p->flags & KPROBE_FLAG_OPTIMIZED)
        return "optimized";
    if (p->flags & KPROBE_FLAG_FTRACE)
        return "ftrace";
    if (p->ainsn.hwbp)
        return "hwbp";
    return "ebreak";
}

static void missing_err(const char *name, const char *what, int err)
{
    char reason[32];
    snprintf(reason, sizeof(reason), "%s-%d", what, -err);
    bench_missing(name, reason);
}

/* Time fn with kp armed (empty handlers), then count hits with pre_count. */
static void kprobe_row(const char *name, struct kprobe *kp, bench_fn fn, void *site,
                       u32 flags, const char *want_via)
{
    u8 before[16], after[16];
    unsigned long base = bench_loop(fn, BENCH_N);
    memset(kp, 0, sizeof(*kp));
    kp->addr = site;
    kp->pre_handler = pre_empty;
    kp->flags = flags;
    bench_snapshot(before, site, sizeof(before));
    int err = register_kprobe(kp);
    if (err) {
        missing_err(name, "register", err);
        return;
    }
    bench_snapshot(after, site, sizeof(after));
    const char *via = via_of(kp);
    if (want_via && strcmp(via, want_via)) {
        char reason[32];
        snprintf(reason, sizeof(reason), "armed-as-%s", via);
        bench_missing(name, reason);
        unregister_kprobe(kp);
        return;
    }
    unsigned long cycles = bench_loop(fn, BENCH_N);
    counted = 0;
    kp->pre_handler = pre_count;
    bench_loop(fn, BENCH_N);
    int hits = counted;
    unregister_kprobe(kp);
    bench_row(name, BENCH_N, hits, cycles, base,
              bench_diff_parcels(before, after, sizeof(before)), via);
}

static int ret_empty(struct kretprobe_instance *ri, struct pt_regs *regs) { return 0; }
static int ret_count(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    counted++;
    return 0;
}

static void kretprobe_row(const char *name)
{
    static struct kretprobe rp;
    u8 before[8], after[8];
    unsigned long base = bench_loop(bench_ret_fn, BENCH_N);
    memset(&rp, 0, sizeof(rp));
    rp.kp.addr = (void *)bench_ret_fn;
    rp.handler = ret_empty;
    rp.maxactive = 4;
    bench_snapshot(before, bench_ret_fn, sizeof(before));
    int err = register_kretprobe(&rp);
    if (err) {
        missing_err(name, "register", err);
        return;
    }
    bench_snapshot(after, bench_ret_fn, sizeof(after));
    const char *via = via_of(&rp.kp);            /* before unregistering clears the flags */
    unsigned long cycles = bench_loop(bench_ret_fn, BENCH_N);
    long check = bench_ret_fn(100);
    counted = 0;
    rp.handler = ret_count;
    bench_loop(bench_ret_fn, BENCH_N);
    int hits = check == 103 ? counted : -1;      /* -1: the probed function went wrong */
    unregister_kretprobe(&rp);
    bench_row(name, BENCH_N, hits, cycles, base, bench_diff_parcels(before, after, 8), via);
}

static int u_empty(struct uprobe_consumer *self, struct pt_regs *regs) { return 0; }
static int u_count(struct uprobe_consumer *self, struct pt_regs *regs)
{
    counted++;
    return 0;
}

/* The task calls bench_user_fn BENCH_N times; the kernel times the whole task. */
static unsigned long user_loop_cycles(void)
{
    unsigned long t0 = get_cycles();
    long r = run_user_task(bench_user_loop, BENCH_N);
    unsigned long t1 = get_cycles();
    return r < 0 ? 0 : t1 - t0;
}

static void uprobe_row(const char *name)
{
    static struct uprobe_consumer uc;
    u8 before[8], after[8];
    unsigned long base = user_loop_cycles();
    memset(&uc, 0, sizeof(uc));
    uc.handler = u_empty;
    bench_snapshot(before, bench_user_at, sizeof(before));
    int err = uprobe_register((unsigned long)bench_user_at, &uc);
    if (err) {
        missing_err(name, "register", err);
        return;
    }
    bench_snapshot(after, bench_user_at, sizeof(after));
    unsigned long cycles = user_loop_cycles();
    counted = 0;
    uc.handler = u_count;
    int ok = user_loop_cycles() != 0 && base != 0 && cycles != 0;
    int hits = ok ? counted : -1;
    uprobe_unregister((unsigned long)bench_user_at, &uc);
    bench_row(name, BENCH_N, hits, cycles, base, bench_diff_parcels(before, after, 8), "ebreak");
}

int main(void)
{
    static struct kprobe kp;
    bench_fn step = bench_step_fn;
    if (bench_step_fn(0) != 10 || bench_sim_fn(0) != 3 || bench_opt_fn(0) != 15) {
        printk("bench targets broken\n");
        return 1;
    }
#ifdef CONFIG_XSPC
    kprobe_row("b-spc", &kp, step, bench_step_at, 0, "ebreak");
#else
    kprobe_row("k", &kp, step, bench_step_at, 0, "ebreak");
    kprobe_row("b", &kp, bench_sim_fn, bench_sim_at, 0, "ebreak");
#endif
#if defined(CONFIG_OPTPROBE_CLASSIC)
    kprobe_row("o-classic", &kp, bench_opt_fn, bench_opt_at, 0, "optimized");
#elif defined(CONFIG_OPTPROBE_SPC)
    kprobe_row("o-spc", &kp, bench_opt_fn, bench_opt_at, 0, "optimized");
#endif
    kprobe_row("hwbp" SPC_SUFFIX, &kp, step, bench_step_at, KPROBE_FLAG_HWBP, "hwbp");
    kretprobe_row("kret" SPC_SUFFIX);
#ifndef CONFIG_XSPC
    uprobe_row("u");
#endif
    printk("BENCH done\n");
    return 0;
}
