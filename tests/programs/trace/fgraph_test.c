/* Function graph and live patching under timer interrupts, on every call-site scheme
 * (linux-tracing-notes §7 scenarios 13-15; tests/test_ftrace_graph.py). Self-checking:
 * a failed check prints "FAIL <n>: ..." and main returns n. Expected values come from
 * the traced functions themselves (counters and argument records they keep in their
 * bodies) or from untraced reference code, never from the tracer. */
#include <linux/kernel.h>
#include <linux/ftrace.h>
#include <linux/kallsyms.h>
#include <asm/csr.h>
#include <asm/traps.h>

#define CHECK(n, cond, ...) do { if (!(cond)) { printk("FAIL %d: ", n); printk(__VA_ARGS__); \
                                  printk("\n"); return n; } } while (0)
#define TRACED __attribute__((noinline, noipa))

/* ---- traced functions; each keeps its own record of what it was called with ---- */
static volatile int fib_calls, fib_live;
static volatile long fib_arg[32];          /* argument of the live call at each depth */
long TRACED fib(long n)
{
    int d = fib_live++;
    fib_arg[d] = n;
    fib_calls++;
    long r = n < 2 ? n : fib(n - 1) + fib(n - 2);
    fib_live--;
    return r;
}

long TRACED down(long n)                    /* recursion deeper than the return stack */
{
    if (n == 0)
        return 7;
    long r = down(n - 1);
    __asm__ volatile("" : "+r"(r));
    return r + 1;
}

long TRACED inner_a(long x) { return x * 3; }
long TRACED inner_b(long x) { return x - 1; }
long TRACED skipped(long x) { return inner_b(x) + 100; }
long TRACED outer(long x) { return inner_a(x) + inner_b(x) + skipped(x); }

long TRACED sum8(long a, long b, long c, long d, long e, long f, long g, long h)
{
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}
/* regcheck.S: fn(args[0..7]) with s0-s11 = 0x5a000000 + 0x100 * n, then s0-s11, gp, tp,
 * sp after the call in save[0..14] and sp before it in save[15]. */
long call_with_regs(long (*fn)(long, ...), unsigned long *save, const long args[8]);

struct pair { long lo, hi; };               /* returned in a0 and a1 */
struct pair TRACED make_pair(long a, long b)
{
    struct pair p = { a ^ 0x5a5a, b + a };
    return p;
}

static volatile int answer_body;
long TRACED answer(long x)
{
    answer_body++;
    return x + 1;
}

static volatile long sink;
long TRACED tick_work(long x)
{
    sink += x;
    return x * 5 + 1;
}

/* ---- untraced references ---- */
static long notrace fib_ref(long n)
{
    long a = 0, b = 1;
    for (long i = 0; i < n; i++) {
        long t = a + b;
        a = b;
        b = t;
    }
    return a;
}

/* ---- the graph tracer under test: a log of events, and checks as they come ---- */
struct event { char kind; unsigned long func; int depth; unsigned long retval;
               unsigned long long calltime, rettime; };
static struct event ev[160];
static int nev, nent, nret, ntick, bad_fib;
static unsigned long fib_ip, skipped_ip, tick_ip;
static int graph_skip_tick;

static int notrace on_entry(struct ftrace_graph_ent *t, struct fgraph_ops *g)
{
    (void)g;
    if (t->func == skipped_ip)
        return 0;                           /* its return is not hooked */
    if (graph_skip_tick && t->func == tick_ip)
        return 0;
    nent++;
    ntick += t->func == tick_ip;
    if (nev < (int)ARRAY_SIZE(ev))
        ev[nev++] = (struct event){ 'E', t->func, t->depth, 0, 0, 0 };
    return 1;
}

static void notrace on_return(struct ftrace_graph_ret *t, struct fgraph_ops *g)
{
    (void)g;
    nret++;
    if (t->func == fib_ip && (long)t->retval != fib_ref(fib_arg[t->depth]))
        bad_fib++;
    if (nev < (int)ARRAY_SIZE(ev))
        ev[nev++] = (struct event){ 'R', t->func, t->depth, t->retval, t->calltime, t->rettime };
}
static struct fgraph_ops gops = { .entryfunc = on_entry, .retfunc = on_return };

static void notrace reset_log(void) { nev = nent = nret = ntick = bad_fib = 0; }

/* Entries and returns pair up like brackets, with depth = nesting level. */
static int notrace check_brackets(void)
{
    unsigned long stack[80];
    int sp = 0;
    for (int i = 0; i < nev; i++) {
        struct event *e = &ev[i];
        if (e->kind == 'E') {
            CHECK(60, e->depth == sp, "entry %d depth %d at level %d", i, e->depth, sp);
            stack[sp++] = e->func;
        } else {
            CHECK(61, sp > 0 && stack[sp - 1] == e->func && e->depth == sp - 1,
                  "return %d func %lx depth %d", i, e->func, e->depth);
            CHECK(62, e->calltime <= e->rettime, "calltime after rettime");
            sp--;
        }
    }
    CHECK(63, sp == 0, "%d entries without return", sp);
    return 0;
}

/* ---- timer: calls tick_work in the interrupt; main flips tracing meanwhile ---- */
static volatile unsigned long ops_count;
static void notrace count_func(unsigned long ip, unsigned long parent_ip,
                               struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)ip; (void)parent_ip; (void)op; (void)fregs;
    ops_count++;
}
static struct ftrace_ops count_ops = { .func = count_func };

static void notrace override_func(unsigned long ip, unsigned long parent_ip,
                                  struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)ip; (void)parent_ip; (void)op;
    ftrace_regs_set_return_value(fregs, 42);
    ftrace_override_function_with_return(fregs);
}
static struct ftrace_ops override_ops = {
    .func = override_func, .flags = FTRACE_OPS_FL_IPMODIFY,
};

static volatile int timer_calls, timer_left, timer_bad, calls_enabled, irq_mode;
static volatile int midsite, deferred, irq_flips;
static volatile long loop_calls;

/* Would changing the sites now break the interrupted call? Yes when epc is between the
 * first and the last instruction of a site (it has run part of the old bytes and would
 * run the rest from the new ones). ra-stack also while the call is in the trampoline or
 * the callback: it comes back to the site's last instruction (REG_L ra), which a
 * disable turns into a nop, leaving ra pointing into the site. */
static int notrace mid_site(unsigned long epc)
{
    unsigned long site = ftrace_location(epc);
    if (site && epc > site && epc < site + MCOUNT_INSN_SIZE)
        return 1;
#ifdef CONFIG_FTRACE_RA_STACK
    unsigned long size, off;
    if (epc >= (unsigned long)ftrace_caller && epc < (unsigned long)return_to_handler)
        return 1;
    if (kallsyms_lookup(epc, &size, &off) && epc - off == (unsigned long)count_func)
        return 1;
#endif
    return 0;
}

static void notrace timer_fn(struct pt_regs *regs)
{
    if (irq_mode == 0) {                    /* the interrupt calls the traced function */
        timer_calls++;
        /* handlers run with interrupts off: the site cannot change during the call */
        if (ftrace_site_enabled(tick_ip))
            calls_enabled++;
        if (tick_work(timer_calls) != 5L * timer_calls + 1)
            timer_bad++;
    } else {                                /* the interrupt patches; main calls */
        int mid = mid_site(regs->epc);
        midsite += mid;
#if defined(CONFIG_FTRACE_CALL_OPS) || defined(CONFIG_FTRACE_JALL)
        mid = 0;                            /* one aligned store: safe anywhere */
#endif
        if (mid) {
            deferred++;                     /* a 2-insn site must not change under it */
        } else {
            if (count_ops.flags & FTRACE_OPS_FL_ENABLED)
                unregister_ftrace_function(&count_ops);
            else
                register_ftrace_function(&count_ops);
            irq_flips++;
        }
    }
    if (--timer_left > 0)
        /* mode 1: consecutive delays, so the interrupt sweeps every point of main's loop.
         * The delay runs from here, so it must also cover this handler's return and the
         * next one's entry (all registers saved and restored): on the RTL that is well
         * over 100 cycles, and a shorter delay would leave main no time to call at all. */
        clint_set_timer(clint_mtime() + (irq_mode ? 250 + timer_left % 61 : 300 + (timer_left * 37) % 101));
    else
        clint_stop_timer();
}

static void notrace start_timer(int n, int mode)
{
    irq_mode = mode;
    timer_left = n;
    timer_calls = calls_enabled = timer_bad = 0;
    clint_set_timer(clint_mtime() + 40);
    local_irq_enable();
}

int main(void)
{
    fib_ip = ftrace_location((unsigned long)fib);
    skipped_ip = ftrace_location((unsigned long)skipped);
    tick_ip = ftrace_location((unsigned long)tick_work);
    unsigned long outer_ip = ftrace_location((unsigned long)outer);
    unsigned long a_ip = ftrace_location((unsigned long)inner_a);
    unsigned long b_ip = ftrace_location((unsigned long)inner_b);
    CHECK(1, fib_ip && skipped_ip && tick_ip && outer_ip && a_ip && b_ip, "missing site");
    printk("scheme %s\n", FTRACE_SCHEME);
    timer_set_handler(timer_fn);

    /* 1. recursion: one entry and one return per call, each return value fib(arg) */
    CHECK(2, register_ftrace_graph(&gops) == 0, "register graph");
    reset_log();
    fib_calls = 0;
    long f = fib(9);
    CHECK(3, f == 34, "fib(9) = %ld", f);
    CHECK(4, nent == fib_calls && nret == fib_calls, "calls %d entries %d returns %d",
          fib_calls, nent, nret);
    CHECK(5, bad_fib == 0, "%d wrong return values", bad_fib);
    CHECK(6, ev[0].kind == 'E' && ev[0].depth == 0, "first event");
    int maxd = 0;
    for (int i = 0; i < nev; i++)
        maxd = ev[i].depth > maxd ? ev[i].depth : maxd;
    CHECK(7, maxd == 8, "max depth %d", maxd);          /* fib(9) -> ... -> fib(1) */
    printk("graph fib(9) calls %d max_depth %d\n", fib_calls, maxd);

    /* 2. nesting, an unhooked call (entryfunc returned 0) and its hooked callee */
    reset_log();
    long o = outer(10);
    CHECK(10, o == 30 + 9 + 109, "outer = %ld", o);
    int e = check_brackets();
    if (e)
        return e;
    static const struct { char k; int d; int which; } want[] = {
        { 'E', 0, 0 }, { 'E', 1, 1 }, { 'R', 1, 1 }, { 'E', 1, 2 }, { 'R', 1, 2 },
        { 'E', 1, 2 }, { 'R', 1, 2 }, { 'R', 0, 0 },
    };
    unsigned long ips[3] = { outer_ip, a_ip, b_ip };
    CHECK(11, nev == (int)ARRAY_SIZE(want), "outer events %d", nev);
    for (int i = 0; i < nev; i++)
        CHECK(12, ev[i].kind == want[i].k && ev[i].depth == want[i].d &&
              ev[i].func == ips[want[i].which], "outer event %d: %c %d %lx", i,
              ev[i].kind, ev[i].depth, ev[i].func);
    CHECK(13, ev[2].retval == 30 && ev[4].retval == 9 && ev[7].retval == 148, "retvals");
    CHECK(14, ev[7].calltime <= ev[2].calltime && ev[2].rettime <= ev[7].rettime,
          "outer's interval does not contain inner_a's");
    printk("graph outer ok cycles %lu\n", (unsigned long)(ev[7].rettime - ev[7].calltime));

    /* 3. a two-register return value reaches the caller intact */
    reset_log();
    struct pair p = make_pair(0x1234, 0x777);
    CHECK(20, p.lo == (0x1234 ^ 0x5a5a) && p.hi == 0x1234 + 0x777, "pair %lx %lx", p.lo, p.hi);
    CHECK(21, nret == 1 && ev[1].retval == (unsigned long)p.lo, "pair retval");

    /* 3b. every register the ABI keeps survives the hooked return (return_to_handler) */
    reset_log();
    static const long args[8] = { 11, 22, 33, 44, 55, 66, 77, 88 };
    unsigned long save[16];
    long s8 = call_with_regs((long (*)(long, ...))sum8, save, args);
    CHECK(22, s8 == 11 + 44 + 99 + 176 + 275 + 396 + 539 + 704, "sum8 = %ld", s8);
    CHECK(23, nret == 1 && ev[1].retval == (unsigned long)s8, "sum8 not hooked");
    static const int regno[12] = { 8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27 };
    for (int i = 0; i < 12; i++)
        CHECK(24, save[i] == 0x5a000000UL + 0x100UL * regno[i], "x%d = %lx", regno[i], save[i]);
    unsigned long gp, tp;
    __asm__ volatile("mv %0, gp\n mv %1, tp" : "=r"(gp), "=r"(tp));
    CHECK(25, save[12] == gp && save[13] == tp && save[14] == save[15], "gp/tp/sp changed");

    /* 4. deeper than the shadow return stack: the rest is not hooked, results exact */
    reset_log();
    unsigned long missed = ftrace_graph_missed;
    long dn = down(FTRACE_RETFUNC_DEPTH + 6);
    CHECK(30, dn == 7 + FTRACE_RETFUNC_DEPTH + 6, "down = %ld", dn);
    CHECK(31, nent == FTRACE_RETFUNC_DEPTH + 7, "down entries %d", nent);
    CHECK(32, nret == FTRACE_RETFUNC_DEPTH && ftrace_graph_missed == missed + 7,
          "down returns %d missed %lu", nret, ftrace_graph_missed - missed);

    /* 5. graph on while the timer interrupt calls tick_work; main recurses meanwhile */
    reset_log();
    fib_calls = 0;
    start_timer(12, 0);
    long sum = 0, iters = 0;
    while (timer_left > 0) {
        sum += fib(7);
        iters++;
    }
    local_irq_disable();
    /* a tick_work call is not hooked when the interrupt came while main was inside a
     * graph callback (the hook does not re-enter itself) */
    int tick_ent = ntick;
    printk("graph under timer iters %ld fib entries %d tick entries %d\n", iters,
           nent - tick_ent, tick_ent);
    CHECK(40, timer_bad == 0 && timer_calls == 12, "timer calls %d bad %d", timer_calls, timer_bad);
    CHECK(41, sum == 13 * iters && fib_calls == 41 * iters, "sum %ld calls %d", sum, fib_calls);
    CHECK(42, nent - tick_ent == fib_calls && tick_ent <= 12 && nret == nent && bad_fib == 0,
          "entries %d returns %d fib calls %d bad %d", nent, nret, fib_calls, bad_fib);
    unregister_ftrace_graph(&gops);
    CHECK(43, register_ftrace_graph(&gops) == 0, "register again");
    unregister_ftrace_graph(&gops);
    reset_log();
    CHECK(44, fib(5) == 5 && nev == 0, "events after unregister %d", nev);

    /* 6. an ops flipped live by main while the interrupt calls tick_work: the callback
     * runs exactly for the calls made while the site was enabled */
    ftrace_set_filter_ip(&count_ops, (unsigned long)tick_work, 0, 1);
    ops_count = 0;
    start_timer(60, 0);
    int flips = 0;
    while (timer_left > 0) {
        if (flips++ & 1)
            unregister_ftrace_function(&count_ops);
        else
            register_ftrace_function(&count_ops);
    }
    local_irq_disable();
    if (count_ops.flags & FTRACE_OPS_FL_ENABLED)
        unregister_ftrace_function(&count_ops);
    printk("live ops flips %d calls %d enabled %d counted %lu\n", flips, timer_calls,
           calls_enabled, ops_count);
    CHECK(50, timer_bad == 0 && timer_calls == 60, "timer calls %d bad %d", timer_calls, timer_bad);
    CHECK(51, ops_count == (unsigned long)calls_enabled, "counted %lu enabled %d",
          ops_count, calls_enabled);
    CHECK(52, calls_enabled > 0 && calls_enabled < timer_calls, "never flipped under it");

    /* 7. the interrupt patches while main calls the traced function (scenario 14) */
    ops_count = 0;
    loop_calls = 0;
    midsite = deferred = irq_flips = 0;
    long bad = 0;
    start_timer(300, 1);
    while (timer_left > 0) {
        long x = loop_calls++;
        if (tick_work(x) != 5 * x + 1)
            bad++;
    }
    local_irq_disable();
    if (count_ops.flags & FTRACE_OPS_FL_ENABLED)
        unregister_ftrace_function(&count_ops);
    printk("irq patching calls %ld counted %lu flips %d midsite %d deferred %d\n",
           loop_calls, ops_count, irq_flips, midsite, deferred);
    CHECK(70, bad == 0, "%ld wrong results", bad);
    CHECK(71, ops_count > 0 && ops_count < (unsigned long)loop_calls, "count %lu of %ld",
          ops_count, loop_calls);
    CHECK(72, irq_flips + deferred == 300, "flips %d deferred %d", irq_flips, deferred);
    for (int i = 0; i < ftrace_nr_sites(); i++)
        CHECK(73, !ftrace_site_enabled(ftrace_site_ip(i)), "site %d left enabled", i);
    /* 8. an IPMODIFY ops returns 42 for answer() without running its body */
#ifndef CONFIG_FTRACE_MCOUNT
    CHECK(80, ftrace_set_filter_ip(&override_ops, (unsigned long)answer, 0, 1) == 0, "filter");
    CHECK(81, register_ftrace_function(&override_ops) == 0, "register override");
    answer_body = 0;
    long a1 = answer(5);
    unregister_ftrace_function(&override_ops);
    long a2 = answer(5);
    CHECK(82, a1 == 42 && a2 == 6 && answer_body == 1, "override %ld %ld body %d", a1, a2,
          answer_body);
#endif
    printk("fgraph ok\n");
    return 0;
}
