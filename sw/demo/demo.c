/* The tracing demo (sw/demo/README.md): a small workload (checksum, insertion sort,
 * recursive fib, a U-mode task) run twice, first bare, then with every kind of probe
 * this build has armed on it. It prints the kprobes listing, each mechanism's hits and
 * its cycles per hit (mcycle, armed minus bare, with a one-increment handler), checks
 * that every hit count equals the number of calls and that every result is unchanged,
 * and ends through the sim-exit register: 0 when every check held, else the number of
 * the first that failed. */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ftrace.h>
#include <linux/uprobes.h>
#include <asm/csr.h>
#include <asm/user.h>

#define ROUNDS 4
#define FIB_N 5
#define FIB_CALLS 15                 /* calls of fib(5): C(n) = 1 + C(n-1) + C(n-2) */
#define USER_CALLS 4                 /* demo_user_fn calls per U-mode task run */

static int failed;
#define CHECK(n, cond, ...) do { if (!(cond) && !failed) { failed = n; \
    printk("demo: FAIL %d: ", n); printk(__VA_ARGS__); printk("\n"); } } while (0)

/* ---- the workload (C: instrumented by the build's ftrace scheme) ---- */
#define TRACED __attribute__((noinline, noipa))
static u8 data[48];
static long arr[10];
static volatile int fib_calls;

u32 TRACED checksum(const u8 *p, int n)      /* Fletcher-16 */
{
    u32 a = 0, b = 0;
    for (int i = 0; i < n; i++) {
        a = (a + p[i]) % 255;
        b = (b + a) % 255;
    }
    return (b << 8) | a;
}

long TRACED isort(long *v, int n)            /* returns the number of moves */
{
    long moves = 0;
    for (int i = 1; i < n; i++) {
        long x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
            moves++;
        }
        v[j + 1] = x;
    }
    return moves;
}

long TRACED fib(long n)
{
    fib_calls++;
    if (n < 2)
        return n;
    long a = fib(n - 1), b = fib(n - 2);
    __asm__ volatile("" : "+r"(a), "+r"(b));   /* two real calls: gcc would loop one */
    return a + b;
}

/* Not instrumented: the kretprobe's entry is an ordinary breakpoint kprobe. */
long notrace __attribute__((noinline, noipa)) mix(long x)
{
    return (x * 2654435761UL) >> 7;
}

long demo_step_fn(long), demo_boost_fn(long), demo_sim_fn(long), demo_hw_fn(long),
    demo_opt_fn(long), demo_user_fn(long);
extern char demo_step_at[], demo_boost_at[], demo_sim_at[], demo_hw_at[], demo_opt_at[],
    demo_user_at[];

/* The U-mode task: USER_CALLS calls of the probed function. */
static long __user_text user_task(long x)
{
    long s = 0;
    for (int i = 0; i < USER_CALLS; i++)
        s += demo_user_fn(x + i);
    return s;
}

/* ---- one mechanism per row: its target, its hits, cycles bare and armed ---- */
enum { M_STEP, M_BOOST, M_SIM, M_HWBP, M_OPT, M_KRET, M_FTRACE, M_KFTRACE, M_GRAPH,
       M_UPROBE, M_NR };
struct row {
    const char *name, *how;
    unsigned long calls, cycles[2];          /* [0] bare, [1] armed */
    volatile unsigned long hits, extra;      /* extra: post_handler / return hits */
    long result[2];                          /* a digest of the results per pass */
    int armed;
    const char *as;                          /* how the probe was armed (kprobes) */
};
static struct row rows[M_NR] = {
    [M_STEP] = { "kprobe", "breakpoint, stepped out of line (post_handler)" },
    [M_BOOST] = { "kprobe-boost", "breakpoint, boosted slot (lrw2spc) on Xspc" },
    [M_SIM] = { "kprobe-sim", "breakpoint on auipc, simulated" },
    [M_HWBP] = { "kprobe-hwbp", "Sdtrig execute trigger" },
    [M_OPT] = { "optprobe", "detour jump (a breakpoint where refused)" },
    [M_KRET] = { "kretprobe", "entry breakpoint + return trampoline" },
    [M_FTRACE] = { "ftrace-ops", "ftrace site, counting ftrace_ops" },
    [M_KFTRACE] = { "kprobe-ftrace", "kprobe at function entry" },
    [M_GRAPH] = { "fgraph", "function graph entry+return" },
    [M_UPROBE] = { "uprobe", "U-mode breakpoint + uretprobe, per call" },
};

static inline void account(int m, int pass, unsigned long t0, long r)
{
    rows[m].cycles[pass] += get_cycles() - t0;
    rows[m].result[pass] = rows[m].result[pass] * 31 + r;
    if (pass == 0)
        rows[m].calls++;
}
#define TIMED(m, pass, expr) do { unsigned long t0_ = get_cycles(); long r_ = (expr); \
                                  account(m, pass, t0_, r_); } while (0)

static void notrace workload(int pass)
{
    for (int round = 0; round < ROUNDS; round++) {
        for (int i = 0; i < (int)sizeof(data); i++)
            data[i] = (u8)(i * 7 + round);
        for (int i = 0; i < (int)ARRAY_SIZE(arr); i++)
            arr[i] = (i * 37 + round * 11) % 23;
        TIMED(M_STEP, pass, demo_step_fn(round));
        TIMED(M_BOOST, pass, demo_boost_fn(round));
        TIMED(M_SIM, pass, demo_sim_fn(round));
        TIMED(M_HWBP, pass, demo_hw_fn(round));
        TIMED(M_OPT, pass, demo_opt_fn(round));
        TIMED(M_KRET, pass, mix(round));
        TIMED(M_FTRACE, pass, checksum(data, sizeof(data)));
        TIMED(M_KFTRACE, pass, isort(arr, ARRAY_SIZE(arr)));
        TIMED(M_GRAPH, pass, fib(FIB_N));
        if (round < 2)                       /* a task run is long: two are enough */
            TIMED(M_UPROBE, pass, run_user_task(user_task, round));
    }
}

/* ---- handlers: one increment each ---- */
static int pre_count(struct kprobe *p, struct pt_regs *regs);
static struct kprobe kp_step, kp_boost, kp_sim, kp_hw, kp_opt, kp_kftrace;
static struct kretprobe rp_mix;
static struct kprobe *kp_row[M_NR] = {
    [M_STEP] = &kp_step, [M_BOOST] = &kp_boost, [M_SIM] = &kp_sim, [M_HWBP] = &kp_hw,
    [M_OPT] = &kp_opt, [M_KFTRACE] = &kp_kftrace,
};
static int pre_count(struct kprobe *p, struct pt_regs *regs)
{
    (void)regs;
    for (int m = 0; m < M_NR; m++)
        if (kp_row[m] == p)
            rows[m].hits++;
    return 0;
}
static void post_count(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
    (void)p; (void)regs; (void)flags;
    rows[M_STEP].extra++;
}
static int kret_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    (void)ri; (void)regs;
    rows[M_KRET].hits++;
    return 0;
}
static int kret_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    (void)ri;
    rows[M_KRET].extra++;
    return 0;
}
static void notrace ops_count(unsigned long ip, unsigned long parent_ip,
                              struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)ip; (void)parent_ip; (void)op; (void)fregs;
    rows[M_FTRACE].hits++;
}
static struct ftrace_ops demo_ops = { .func = ops_count };
static unsigned long fib_ip;
static volatile int graph_depth_max, graph_bad;
static int notrace graph_entry(struct ftrace_graph_ent *t, struct fgraph_ops *g)
{
    (void)g;
    if (t->func != fib_ip)
        return 0;
    rows[M_GRAPH].hits++;
    if (t->depth > graph_depth_max)
        graph_depth_max = t->depth;
    return 1;
}
static void notrace graph_return(struct ftrace_graph_ret *t, struct fgraph_ops *g)
{
    (void)g;
    rows[M_GRAPH].extra++;
    if (t->rettime < t->calltime)
        graph_bad++;
}
static struct fgraph_ops demo_graph = { .entryfunc = graph_entry, .retfunc = graph_return };
static int u_hit(struct uprobe_consumer *uc, struct pt_regs *regs)
{
    (void)uc; (void)regs;
    rows[M_UPROBE].hits++;
    return 0;
}
static int u_ret(struct uprobe_consumer *uc, unsigned long func, struct pt_regs *regs)
{
    (void)uc; (void)func; (void)regs;
    rows[M_UPROBE].extra++;
    return 0;
}
static struct uprobe_consumer uc_at = { .handler = u_hit };
static struct uprobe_consumer uc_ret = { .ret_handler = u_ret };

static const char *notrace via(struct kprobe *p)
{
    if (p->flags & KPROBE_FLAG_OPTIMIZED)
        return "OPTIMIZED";
    if (p->flags & KPROBE_FLAG_FTRACE)
        return "FTRACE";
    if (p->ainsn.hwbp)
        return "hwbp";
    return "ebreak";
}

static void notrace arm_kprobe(int m, struct kprobe *p, void *addr, u32 flags,
                               kprobe_post_handler_t post)
{
    p->addr = addr;
    p->pre_handler = pre_count;
    p->post_handler = post;
    p->flags = flags;
    int err = register_kprobe(p);
    rows[m].armed = !err;
    rows[m].as = via(p);
    if (err)
        printk("demo: %s not armed (%d)\n", rows[m].name, err);
}

static void notrace arm_all(void)
{
    arm_kprobe(M_STEP, &kp_step, demo_step_at, 0, post_count);
    arm_kprobe(M_BOOST, &kp_boost, demo_boost_at, 0, NULL);
    arm_kprobe(M_SIM, &kp_sim, demo_sim_at, 0, NULL);
    arm_kprobe(M_HWBP, &kp_hw, demo_hw_at, KPROBE_FLAG_HWBP, NULL);
#ifdef CONFIG_OPTPROBES
    arm_kprobe(M_OPT, &kp_opt, demo_opt_at, 0, NULL);
#endif
    rp_mix.kp.addr = (void *)mix;
    rp_mix.entry_handler = kret_entry;
    rp_mix.handler = kret_ret;
    rp_mix.maxactive = 2;
    rows[M_KRET].armed = register_kretprobe(&rp_mix) == 0;
    rows[M_KRET].as = via(&rp_mix.kp);
#ifdef CONFIG_FTRACE
    ftrace_set_filter_ip(&demo_ops, (unsigned long)checksum, 0, 1);
    rows[M_FTRACE].armed = register_ftrace_function(&demo_ops) == 0;
    arm_kprobe(M_KFTRACE, &kp_kftrace, (void *)isort, 0, NULL);
    fib_ip = ftrace_location((unsigned long)fib);
    rows[M_GRAPH].armed = register_ftrace_graph(&demo_graph) == 0;
#endif
    rows[M_UPROBE].armed = uprobe_register((unsigned long)demo_user_at, &uc_at) == 0 &&
                           uprobe_register((unsigned long)demo_user_fn, &uc_ret) == 0;
}

static void notrace disarm_all(void)
{
    unregister_kprobe(&kp_step);
    unregister_kprobe(&kp_boost);
    unregister_kprobe(&kp_sim);
    unregister_kprobe(&kp_hw);
    if (rows[M_OPT].armed)
        unregister_kprobe(&kp_opt);
    unregister_kretprobe(&rp_mix);
    if (rows[M_FTRACE].armed)
        unregister_ftrace_function(&demo_ops);
    if (rows[M_KFTRACE].armed)
        unregister_kprobe(&kp_kftrace);
    if (rows[M_GRAPH].armed)
        unregister_ftrace_graph(&demo_graph);
    uprobe_unregister((unsigned long)demo_user_at, &uc_at);
    uprobe_unregister((unsigned long)demo_user_fn, &uc_ret);
}

int main(void)
{
    printk("demo: spcore tracing demo, RV%d, ftrace scheme %s, optprobes %s, Xspc %s\n",
           __riscv_xlen, FTRACE_SCHEME,
#if defined(CONFIG_OPTPROBE_SPC)
           "spc",
#elif defined(CONFIG_OPTPROBE_CLASSIC)
           "classic",
#else
           "none",
#endif
#ifdef CONFIG_XSPC
           "yes"
#else
           "no"
#endif
           );
    fib_calls = 0;
    workload(0);
    CHECK(1, fib_calls == ROUNDS * FIB_CALLS, "fib calls %d", fib_calls);

    arm_all();
    printk("demo: kprobes list\n");
    kprobes_list_print();
    fib_calls = 0;
    workload(1);
    disarm_all();
    CHECK(2, fib_calls == ROUNDS * FIB_CALLS, "fib calls armed %d", fib_calls);

    printk("demo: %-14s %6s %6s %6s %10s  %s\n", "mechanism", "calls", "hits", "extra",
           "cycles/hit", "how");
    for (int m = 0; m < M_NR; m++) {
        struct row *r = &rows[m];
        if (!r->armed) {
            printk("demo: %-14s not in this build\n", r->name);
            continue;
        }
        unsigned long over = r->cycles[1] - r->cycles[0];
        unsigned long per = r->hits ? over / r->hits : 0;
        printk("demo: %-14s %6lu %6lu %6lu %10lu  %s%s%s\n", r->name, r->calls, r->hits,
               r->extra, per, r->how, r->as ? ", armed as " : "", r->as ? r->as : "");
        CHECK(10 + m, r->result[0] == r->result[1], "%s changed a result", r->name);
    }
    /* every hit count equals the number of calls the workload made */
    unsigned long want[M_NR] = {
        [M_STEP] = ROUNDS, [M_BOOST] = ROUNDS, [M_SIM] = ROUNDS, [M_HWBP] = ROUNDS,
        [M_OPT] = ROUNDS, [M_KRET] = ROUNDS, [M_FTRACE] = ROUNDS, [M_KFTRACE] = ROUNDS,
        [M_GRAPH] = ROUNDS * FIB_CALLS, [M_UPROBE] = 2 * USER_CALLS,
    };
    for (int m = 0; m < M_NR; m++)
        if (rows[m].armed)
            CHECK(30 + m, rows[m].hits == want[m], "%s hits %lu, want %lu", rows[m].name,
                  rows[m].hits, want[m]);
    CHECK(41, rows[M_STEP].extra == ROUNDS, "post_handler hits %lu", rows[M_STEP].extra);
    CHECK(42, rows[M_KRET].extra == ROUNDS && rp_mix.nmissed == 0, "kretprobe returns %lu",
          rows[M_KRET].extra);
    CHECK(43, !rows[M_GRAPH].armed || (rows[M_GRAPH].extra == ROUNDS * FIB_CALLS &&
          graph_depth_max == FIB_N - 1 && !graph_bad), "graph returns %lu depth %d",
          rows[M_GRAPH].extra, graph_depth_max);
    CHECK(44, rows[M_UPROBE].extra == 2 * USER_CALLS, "uretprobe hits %lu",
          rows[M_UPROBE].extra);
    CHECK(45, !strcmp(rows[M_HWBP].as, "hwbp") && !strcmp(rows[M_STEP].as, "ebreak") &&
          !strcmp(rows[M_SIM].as, "ebreak"), "armed as");
#ifdef CONFIG_FTRACE
    CHECK(46, !rows[M_KFTRACE].armed || !strcmp(rows[M_KFTRACE].as, "FTRACE"),
          "entry kprobe not on ftrace");
#endif
    printk(failed ? "demo: FAILED %d\n" : "demo: all checks passed\n", failed);
    return failed;
}
