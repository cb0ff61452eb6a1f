/* Optprobes on compiler output: a probe at every instruction boundary of a few gcc-built
 * functions, one at a time. At each: the function's results equal the unprobed ones,
 * and the hits of the probe as the optimizer left it (optimized or not) equal the hits
 * of a breakpoint probe there (a post_handler keeps it one); the bytes come back after
 * unregister. Catches a wrong liveness scan (a clobbered live register), a missed jump
 * into a window, a bad copy. Self-checking: FAIL n, exit n. */
#include "../probes/probetest.h"

#define PROBED __attribute__((noinline, noipa))
static volatile long sink;

long PROBED leaf_mix(long a, long b)
{
    long r = 0;
    for (long i = 0; i < a; i++) {
        if ((i ^ b) & 1)
            r += i * b;
        else
            r -= i >> 1;
    }
    return r ^ (a << 3);
}

long PROBED helper(long x) { return x * 7 + 1; }

long PROBED caller_mix(long a, long b)
{
    long s = helper(a);
    if (a > b)
        s += helper(b) * 3;
    switch (a & 3) {             /* may become a jump table: an indirect jump */
    case 0: s += 11; break;
    case 1: s ^= 0x55; break;
    case 2: s -= b; break;
    default: s += helper(s); break;
    }
    sink = s;
    return s + b;
}

static int hits;
static int pre_count(struct kprobe *p, struct pt_regs *regs) { hits++; return 0; }
static void post_nop(struct kprobe *p, struct pt_regs *regs, unsigned long flags) {}

#define NCALLS 6
static long run(long (*fn)(long, long), long *out)
{
    static const long args[NCALLS][2] = { {0, 1}, {1, 2}, {5, 3}, {7, 7}, {2, 9}, {11, 4} };
    for (int i = 0; i < NCALLS; i++)
        out[i] = fn(args[i][0], args[i][1]);
    return 0;
}

static int sweep(const char *name, long (*fn)(long, long), int *optimized, int *probed)
{
    unsigned long size, off;
    unsigned long f = kallsyms_lookup_name(name);
    long want[NCALLS], got[NCALLS];
    static struct kprobe kp;
    if (!f || !kallsyms_lookup(f, &size, &off))
        return 1;
    run(fn, want);
    for (unsigned long a = f; a < f + size;) {
        int len = (half((void *)a) & 3) != 3 ? 2 : (half((void *)a) & 0x1f) == 0x1f ? 6 : 4;
        u8 before[16];
        for (int i = 0; i < 16; i++)
            before[i] = ((volatile u8 *)a)[i];
        /* breakpoint probe: the reference hit count */
        memset(&kp, 0, sizeof(kp));
        kp.addr = (void *)a;
        kp.pre_handler = pre_count;
        kp.post_handler = post_nop;
        if (register_kprobe(&kp)) {              /* not probeable at all (e.g. csr) */
            a += len;
            continue;
        }
        hits = 0;
        run(fn, got);
        int bp_hits = hits;
        unregister_kprobe(&kp);
        for (int i = 0; i < NCALLS; i++)
            if (got[i] != want[i]) {
                printk("%s+0x%lx: breakpoint probe changed result %d\n", name, a - f, i);
                return 2;
            }
        /* the same probe without post_handler: optimized where allowed */
        memset(&kp, 0, sizeof(kp));
        kp.addr = (void *)a;
        kp.pre_handler = pre_count;
        if (register_kprobe(&kp))
            return 3;
        *optimized += !!(kp.flags & KPROBE_FLAG_OPTIMIZED);
        (*probed)++;
        hits = 0;
        run(fn, got);
        unregister_kprobe(&kp);
        for (int i = 0; i < NCALLS; i++)
            if (got[i] != want[i]) {
                printk("%s+0x%lx (%s): result %d is %lx, want %lx\n", name, a - f,
                       kp.flags & KPROBE_FLAG_OPTIMIZED ? "optimized" : "breakpoint", i,
                       got[i], want[i]);
                return 4;
            }
        if (hits != bp_hits) {
            printk("%s+0x%lx: %d hits, a breakpoint probe has %d\n", name, a - f, hits,
                   bp_hits);
            return 5;
        }
        for (int i = 0; i < 16; i++)
            if (((volatile u8 *)a)[i] != before[i]) {
                printk("%s+0x%lx: bytes not restored\n", name, a - f);
                return 6;
            }
        a += len;
    }
    return 0;
}

int main(void)
{
    int optimized = 0, probed = 0;
    CHECK_EQ(1, sweep("leaf_mix", leaf_mix, &optimized, &probed), 0);
    CHECK_EQ(2, sweep("caller_mix", caller_mix, &optimized, &probed), 0);
    printk("sweep: %d sites probed, %d optimized\n", probed, optimized);
#ifdef CONFIG_OPTPROBES
    CHECK(3, optimized > 0);
#else
    CHECK_EQ(3, optimized, 0);
#endif
    printk("optprobe sweep: all checks passed\n");
    return 0;
}
