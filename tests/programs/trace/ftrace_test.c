/* ftrace on every call-site scheme (TRACING.md 3; linux-tracing-notes §7 scenarios
 * 13-15). Self-checking: each failed check prints "FAIL <what>" and main returns its
 * number. The test (tests/test_ftrace_schemes.py) also reads the "bytes" lines and
 * compares them with encodings it computes itself from the ELF's symbols. */
#include <linux/kernel.h>
#include <linux/ftrace.h>
#include <asm/csr.h>
#include <asm/traps.h>

#define CHECK(n, cond, ...) do { if (!(cond)) { printk("FAIL %d: ", n); printk(__VA_ARGS__); \
                                  printk("\n"); return n; } } while (0)

/* ---- traced functions (instrumented by the build's scheme) ----
 * noipa: gcc must not assume what they touch (the callbacks run inside them). */
#define TRACED __attribute__((noinline, noipa))
long TRACED sum8(long a, long b, long c, long d, long e, long f, long g, long h)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

long TRACED fact(long n)
{
    if (n <= 1)
        return 1;
    long r = fact(n - 1);
    __asm__ volatile("" : "+r"(r));      /* keep the recursion (no loop) */
    return n * r;
}

static volatile long sink;
long TRACED tick_work(long x)
{
    sink += x;
    return x * 3;
}

long TRACED untraced_by_filter(long x)
{
    return x + 1;
}

long call_with_regs(long (*fn)(long, ...), unsigned long *save, const long args[8]);

/* ---- callbacks ---- */
struct hit { unsigned long ip, parent, a0, a7; };
static struct hit hits[16];
static volatile int nhits;

static void notrace record_func(unsigned long ip, unsigned long parent_ip,
                                struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)op;
    if (nhits < (int)ARRAY_SIZE(hits)) {
        hits[nhits].ip = ip;
        hits[nhits].parent = parent_ip;
        hits[nhits].a0 = ftrace_regs_get_argument(fregs, 0);
        hits[nhits].a7 = ftrace_regs_get_argument(fregs, 7);
    }
    nhits++;
}
struct ftrace_ops record_ops = { .func = record_func };

static volatile unsigned long count;
static void notrace count_func(unsigned long ip, unsigned long parent_ip,
                               struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)ip; (void)parent_ip; (void)op; (void)fregs;
    count++;
}
struct ftrace_ops count_ops = { .func = count_func };

/* A callback that calls a traced function itself and asks ftrace for recursion
 * protection (FTRACE_OPS_FL_RECURSION, Linux >= 5.11): the inner call must be dropped,
 * with another ops on the site (the list walker) and alone. */
static int nested_calls;
static void notrace nesting_func(unsigned long ip, unsigned long parent_ip,
                                 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)ip; (void)parent_ip; (void)op; (void)fregs;
    nested_calls++;
    untraced_by_filter(1);
}
struct ftrace_ops nesting_ops = { .func = nesting_func, .flags = FTRACE_OPS_FL_RECURSION };

/* A callback without FTRACE_OPS_FL_RECURSION that guards itself, as Linux asks such
 * callbacks to: alone on its sites it is called directly, so only its own trylock
 * stands between it and the traced function it calls. */
static int guarded_calls, guarded_dropped;
static void notrace guarded_func(unsigned long ip, unsigned long parent_ip,
                                 struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)op; (void)fregs;
    int bit = ftrace_test_recursion_trylock(ip, parent_ip);
    if (bit < 0) {
        guarded_dropped++;
        return;
    }
    guarded_calls++;
    untraced_by_filter(1);
    ftrace_test_recursion_unlock(bit);
}
struct ftrace_ops guarded_ops = { .func = guarded_func };
struct ftrace_ops name_ops = { .func = count_func };

#define FILTER(ops, glob, reset) ftrace_set_filter(ops, (unsigned char *)(glob), strlen(glob), reset)

/* ---- helpers ---- */
static void notrace print_bytes(const char *phase, const char *name, unsigned long ip)
{
    printk("bytes %s %s %lx ", phase, name, ip);
    for (int i = -8; i < 16; i += 2)
        printk("%04x", *(volatile u16 *)(ip + i));
    printk("\n");
}

static int notrace check_regs_and_args(void)
{
    static const long args[8] = { 11, 22, 33, 44, 55, 66, 77, 88 };
    unsigned long save[16];
    long r = call_with_regs((long (*)(long, ...))sum8, save, args);
    CHECK(20, r == 11 + 44 + 99 + 176 + 275 + 396 + 539 + 704, "sum8 = %ld", r);
    static const int regno[12] = { 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27 };
    for (int i = 0; i < 12; i++)
        CHECK(21, save[i] == 0x5a000000UL + 0x100UL * regno[i], "x%d = %lx", regno[i], save[i]);
    unsigned long gp, tp;
    __asm__ volatile("mv %0, gp\n mv %1, tp" : "=r"(gp), "=r"(tp));
    CHECK(22, save[12] == gp && save[13] == tp, "gp/tp changed");
    CHECK(23, save[14] == save[15], "sp %lx -> %lx", save[15], save[14]);
    return 0;
}

static volatile int timer_calls, timer_left, timer_enabled;
static unsigned long tick_site;
static volatile long timer_bad;
static void notrace timer_fn(struct pt_regs *regs)
{
    (void)regs;
    timer_calls++;
    if (ftrace_site_enabled(tick_site))     /* cannot change during the handler */
        timer_enabled++;
    if (tick_work(timer_calls) != 3L * timer_calls)
        timer_bad++;
    if (--timer_left > 0)
        clint_set_timer(clint_mtime() + 400 + (timer_calls * 131) % 397);
    else
        clint_stop_timer();
}

/* Graph: entries and returns in order, with depth and return value. */
static char glog[512];
static int glen;
static void notrace glog_add(const char *s)
{
    while (*s && glen < (int)sizeof(glog) - 1)
        glog[glen++] = *s++;
    glog[glen] = 0;
}
static unsigned long fact_ip;
static int notrace graph_entry(struct ftrace_graph_ent *t, struct fgraph_ops *g)
{
    (void)g;
    char b[32];
    if (t->func != fact_ip)
        return 0;
    snprintf(b, sizeof(b), "E%d ", t->depth);
    glog_add(b);
    return 1;
}
static void notrace graph_return(struct ftrace_graph_ret *t, struct fgraph_ops *g)
{
    (void)g;
    char b[32];
    snprintf(b, sizeof(b), "R%d=%ld ", t->depth, (long)t->retval);
    glog_add(b);
}
static struct fgraph_ops gops = { .entryfunc = graph_entry, .retfunc = graph_return };

int main(void)
{
    unsigned long sum8_ip = ftrace_location((unsigned long)sum8);
    unsigned long tick_ip = ftrace_location((unsigned long)tick_work);
    tick_site = tick_ip;
    fact_ip = ftrace_location((unsigned long)fact);
    printk("scheme %s sites %d site_size %d patch_bytes %d\n", FTRACE_SCHEME,
           ftrace_nr_sites(), MCOUNT_INSN_SIZE, FTRACE_PATCH_BYTES);
    CHECK(1, sum8_ip && tick_ip && fact_ip, "no site for a traced function");
    CHECK(2, ftrace_location((unsigned long)printk) == 0, "the runtime has a site");
    CHECK(3, ftrace_location(sum8_ip + 2) == sum8_ip, "ftrace_location inside a site");
    printk("site sum8 %lx\n", sum8_ip);
    print_bytes("boot", "sum8", sum8_ip);

    /* 1. ip, parent and arguments as the callee sees them */
    CHECK(4, register_ftrace_function(&record_ops) == 0, "register");
    CHECK(5, register_ftrace_function(&record_ops) == -EBUSY, "double register");
    CHECK(6, ftrace_site_enabled(sum8_ip), "site not enabled");
    print_bytes("enabled", "sum8", sum8_ip);
    nhits = 0;
    long r = sum8(1, 2, 3, 4, 5, 6, 7, 8);
    unsigned long here;
    __asm__ volatile("auipc %0, 0" : "=r"(here));
    CHECK(7, r == 204, "sum8 traced = %ld", r);
    CHECK(8, nhits == 1, "hits %d", nhits);
    CHECK(9, hits[0].ip == sum8_ip, "ip %lx", hits[0].ip);
    /* parent = the return address in main: just before `here`, after the call */
    CHECK(10, hits[0].parent > (unsigned long)main && hits[0].parent <= here,
          "parent %lx main %lx here %lx", hits[0].parent, (unsigned long)main, here);
#ifndef CONFIG_FTRACE_MCOUNT        /* mcount: a0 holds the parent (gcc's -pg sequence) */
    CHECK(11, hits[0].a0 == 1 && hits[0].a7 == 8, "args %lx %lx", hits[0].a0, hits[0].a7);
#endif
    printk("parent %pS\n", (void *)hits[0].parent);

    /* 2. callee-saved registers, gp, tp, sp and all eight arguments survive */
    int e = check_regs_and_args();
    if (e)
        return e;
    CHECK(24, nhits == 2, "hits after regcheck %d", nhits);

    /* 3. disable restores the boot bytes */
    CHECK(12, unregister_ftrace_function(&record_ops) == 0, "unregister");
    CHECK(13, !ftrace_site_enabled(sum8_ip), "still enabled");
    print_bytes("disabled", "sum8", sum8_ip);
    nhits = 0;
    sum8(1, 2, 3, 4, 5, 6, 7, 8);
    CHECK(14, nhits == 0, "hit while disabled");
    e = check_regs_and_args();
    if (e)
        return e;

    /* 4. filter: only tick_work's site */
    CHECK(15, ftrace_set_filter_ip(&count_ops, (unsigned long)tick_work, 0, 1) == 0, "filter");
    CHECK(16, ftrace_set_filter_ip(&count_ops, (unsigned long)&count, 0, 0) == -EINVAL,
          "filter on data accepted");
    CHECK(17, register_ftrace_function(&count_ops) == 0, "register count");
    CHECK(18, ftrace_site_enabled(tick_ip) && !ftrace_site_enabled(sum8_ip), "filter sites");
    count = 0;
    sum8(0, 0, 0, 0, 0, 0, 0, 0);
    tick_work(1);
    tick_work(2);
    CHECK(19, count == 2, "filtered count %lu", count);

    /* 5. the traced function runs in a timer interrupt while main flips the site */
    timer_set_handler(timer_fn);
    count = 0;
    timer_calls = 0;
    timer_left = 40;
    clint_set_timer(clint_mtime() + 50);
    local_irq_enable();
    int flips = 0;
    while (timer_left > 0) {
        if (flips & 1)
            register_ftrace_function(&count_ops);
        else
            unregister_ftrace_function(&count_ops);
        flips++;
    }
    local_irq_disable();
    if (count_ops.flags & FTRACE_OPS_FL_ENABLED)
        unregister_ftrace_function(&count_ops);
    printk("live flips %d timer_calls %d counted %lu enabled %d\n", flips, timer_calls, count,
           timer_enabled);
    CHECK(30, timer_calls == 40 && timer_bad == 0, "timer work %d bad %ld", timer_calls, timer_bad);
    /* the callback ran exactly for the calls made while the site was enabled */
    CHECK(31, count == (unsigned long)timer_enabled && flips > 40, "count %lu enabled %d flips %d",
          count, timer_enabled, flips);
    /* enabled throughout: every interrupt's call is seen */
    register_ftrace_function(&count_ops);
    count = 0;
    timer_calls = 0;
    timer_left = 10;
    clint_set_timer(clint_mtime() + 50);
    local_irq_enable();
    while (timer_left > 0)
        ;
    local_irq_disable();
    CHECK(32, count == 10 && timer_calls == 10, "enabled count %lu", count);

    /* 6. two ops on one site: the list walker; a nesting callback is not re-entered */
    ftrace_set_filter_ip(&nesting_ops, (unsigned long)tick_work, 0, 1);
    ftrace_set_filter_ip(&nesting_ops, (unsigned long)untraced_by_filter, 0, 0);
    CHECK(33, register_ftrace_function(&nesting_ops) == 0, "register nesting");
    count = 0;
    unsigned long missed = ftrace_recursion_missed;
    tick_work(5);
    CHECK(34, count == 1 && nested_calls == 1, "count %lu nested %d", count, nested_calls);
    CHECK(35, ftrace_recursion_missed == missed + 1, "recursion not caught");
    untraced_by_filter(1);
    CHECK(36, nested_calls == 2, "nested %d", nested_calls);
    unregister_ftrace_function(&count_ops);
    missed = ftrace_recursion_missed;
    tick_work(5);                       /* alone, still protected: not called directly */
    CHECK(38, nested_calls == 3 && ftrace_recursion_missed == missed + 1,
          "alone: nested %d missed %lu", nested_calls, ftrace_recursion_missed - missed);
    unregister_ftrace_function(&nesting_ops);
    for (int i = 0; i < ftrace_nr_sites(); i++)
        CHECK(37, !ftrace_site_enabled(ftrace_site_ip(i)), "site %d left enabled", i);
    print_bytes("final", "sum8", sum8_ip);

    /* 7. function graph over recursion, together with another ops */
    CHECK(40, register_ftrace_graph(&gops) == 0, "graph");
    CHECK(41, register_ftrace_graph(&gops) == -EBUSY, "graph twice");
    register_ftrace_function(&record_ops);
    nhits = 0;
    long f = fact(5);
    unregister_ftrace_function(&record_ops);
    unregister_ftrace_graph(&gops);
    printk("graph %s\n", glog);
    CHECK(42, f == 120, "fact %ld", f);
    CHECK(43, !strcmp(glog, "E0 E1 E2 E3 E4 R4=1 R3=2 R2=6 R1=24 R0=120 "), "graph log");
    CHECK(44, nhits == 5, "record hits with graph %d", nhits);
    CHECK(45, fact(4) == 24 && glen == (int)strlen(glog), "graph after unregister");

    /* 8. filters by name (Linux's ftrace_set_filter globs) */
    CHECK(50, FILTER(&name_ops, "no_such_function*", 1) == -EINVAL && name_ops.nr_filter == 0,
          "no match");
    CHECK(51, FILTER(&name_ops, "tick_w?rk", 1) == 0 && name_ops.nr_filter == 1, "tick_w?rk");
    CHECK(52, FILTER(&name_ops, "*_by_filter", 0) == 0 && name_ops.nr_filter == 2, "*_by_filter");
    CHECK(53, FILTER(&name_ops, "!tick*", 0) == 0 && name_ops.nr_filter == 1 &&
          name_ops.filter_ip[0] == ftrace_location((unsigned long)untraced_by_filter), "!tick*");
    CHECK(54, FILTER(&name_ops, "nothing", 1) == -EINVAL && name_ops.nr_filter == 1,
          "a failed reset keeps the filter");
    CHECK(55, register_ftrace_function(&name_ops) == 0, "register name_ops");
    count = 0;
    tick_work(1);
    untraced_by_filter(1);
    CHECK(56, count == 1, "name filter count %lu", count);
    unregister_ftrace_function(&name_ops);

    /* 9. a self-guarding callback (ftrace_test_recursion_trylock), called directly */
    FILTER(&guarded_ops, "tick_work", 1);
    FILTER(&guarded_ops, "untraced_by_filter", 0);
    CHECK(57, register_ftrace_function(&guarded_ops) == 0, "register guarded");
    missed = ftrace_recursion_missed;
    tick_work(1);
    unregister_ftrace_function(&guarded_ops);
    CHECK(58, guarded_calls == 1 && guarded_dropped == 1 && ftrace_recursion_missed == missed,
          "guarded: calls %d dropped %d", guarded_calls, guarded_dropped);
    printk("ftrace ok\n");
    return 0;
}
