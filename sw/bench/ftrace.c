/* Cycles per call of an ftrace site, for this build's call-site scheme (--ftrace S):
 *   f-S-disabled  the site as booted (nop-ed, or jumping to the body)
 *   f-S-empty     enabled, one ftrace_ops with an empty callback, filtered to the function
 *   f-S-counting  enabled, a callback that counts (hits must equal n)
 *   kf-S          a kprobe on the function's ftrace site (kprobe on ftrace, when the runtime
 *                 has it; Linux puts such a probe on the site's address)
 * The baseline is bench_plain, the same body without a site (notrace), so the rows are
 * the whole cost of the site. `site` is the site's size (MCOUNT_INSN_SIZE), `bytes` what
 * one enable changed. */
#include <linux/ftrace.h>
#include <linux/kprobes.h>
#include "bench.h"

#define SCHEME_ROW(kind) ("f-" FTRACE_SCHEME "-" kind)

__attribute__((noipa)) long bench_traced(long x) { return x * 3 + 1; }
notrace __attribute__((noipa)) long bench_plain(long x) { return x * 3 + 1; }

static volatile int counted;

static void notrace cb_empty(unsigned long ip, unsigned long parent_ip,
                             struct ftrace_ops *op, struct ftrace_regs *fregs) {}
static void notrace cb_count(unsigned long ip, unsigned long parent_ip,
                             struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    counted++;
}

static struct ftrace_ops ops;

static notrace void ops_row(const char *name, ftrace_func_t func, unsigned long base)
{
    u8 before[24], after[24];
    unsigned long ip = ftrace_location((unsigned long)bench_traced);
    if (!ip) {
        bench_missing(name, "no-site");
        return;
    }
    /* from the ops literal (call-ops: 8 bytes before) to the end of the site */
    void *from = (void *)(ip - 8);
    memset(&ops, 0, sizeof(ops));
    ops.func = func;
    int err = ftrace_set_filter_ip(&ops, (unsigned long)bench_traced, 0, 1);
    bench_snapshot(before, from, sizeof(before));
    if (!err)
        err = register_ftrace_function(&ops);
    if (err) {
        char reason[32];
        snprintf(reason, sizeof(reason), "register-%d", -err);
        bench_missing(name, reason);
        return;
    }
    bench_snapshot(after, from, sizeof(after));
    unsigned long cycles = bench_loop(bench_traced, BENCH_N);
    counted = 0;
    ops.func = cb_count;
    bench_loop(bench_traced, BENCH_N);
    int hits = counted;
    unregister_ftrace_function(&ops);
    bench_row_site(name, BENCH_N, hits, cycles, base,
                   bench_diff_parcels(before, after, sizeof(before)), MCOUNT_INSN_SIZE, "ftrace");
}

static int kp_empty(struct kprobe *p, struct pt_regs *regs) { return 0; }
static int kp_count(struct kprobe *p, struct pt_regs *regs) { counted++; return 0; }

static notrace void kprobe_on_ftrace_row(const char *name, unsigned long base)
{
    static struct kprobe kp;
    unsigned long ip = ftrace_location((unsigned long)bench_traced);
    if (!ip) {
        bench_missing(name, "no-site");
        return;
    }
    kp.addr = (void *)ip;               /* the site (after the prologue for mcount) */
    kp.pre_handler = kp_empty;
    int err = register_kprobe(&kp);
    if (err) {
        char reason[32];
        snprintf(reason, sizeof(reason), "register-%d", -err);
        bench_missing(name, reason);
        return;
    }
    if (!(kp.flags & KPROBE_FLAG_FTRACE)) {
        unregister_kprobe(&kp);
        bench_missing(name, "not-on-ftrace");
        return;
    }
    unsigned long cycles = bench_loop(bench_traced, BENCH_N);
    counted = 0;
    kp.pre_handler = kp_count;
    bench_loop(bench_traced, BENCH_N);
    int hits = counted;
    unregister_kprobe(&kp);
    bench_row_site(name, BENCH_N, hits, cycles, base, 0, MCOUNT_INSN_SIZE, "ftrace");
}

notrace int main(void)
{
    if (bench_traced(2) != 7 || bench_plain(2) != 7)
        return 1;
    unsigned long base = bench_loop(bench_plain, BENCH_N);
    unsigned long ip = ftrace_location((unsigned long)bench_traced);
    if (!ip) {
        bench_missing(SCHEME_ROW("disabled"), "no-site");
    } else if (ftrace_site_enabled(ip)) {
        bench_missing(SCHEME_ROW("disabled"), "site-enabled-at-boot");
    } else {
        /* no handler runs: hits=0 is what the bench expects of a disabled site */
        unsigned long cycles = bench_loop(bench_traced, BENCH_N);
        bench_row_site(SCHEME_ROW("disabled"), BENCH_N, 0, cycles, base, 0,
                       MCOUNT_INSN_SIZE, "site");
    }
    ops_row(SCHEME_ROW("empty"), cb_empty, base);
    ops_row(SCHEME_ROW("counting"), cb_count, base);
    kprobe_on_ftrace_row("kf-" FTRACE_SCHEME, base);
    printk("BENCH done\n");
    return 0;
}
