/* The timing loop and the BENCH line printer of bench.h. Not traced: the harness must
 * not carry an ftrace site itself. */
#include <linux/ftrace.h>
#include "bench.h"

volatile long bench_sink;

notrace __attribute__((noipa)) unsigned long bench_loop(bench_fn fn, int n)
{
    unsigned long flags = local_irq_save();
    unsigned long t0 = get_cycles();
    for (int i = 0; i < n; i++)
        bench_sink += fn(i);
    unsigned long t1 = get_cycles();
    local_irq_restore(flags);
    return t1 - t0;
}

notrace void bench_snapshot(u8 *dst, const void *text, int len)
{
    const volatile u8 *s = text;
    for (int i = 0; i < len; i++)
        dst[i] = s[i];
}

notrace int bench_diff_parcels(const u8 *a, const u8 *b, int len)
{
    int bytes = 0;
    for (int i = 0; i + 1 < len; i += 2)
        if (a[i] != b[i] || a[i + 1] != b[i + 1])
            bytes += 2;
    return bytes;
}

notrace void bench_row_site(const char *name, int n, int hits, unsigned long cycles,
                            unsigned long base, int bytes, int site, const char *via)
{
    printk("BENCH name=%s xlen=%d n=%d hits=%d cycles=%lu base=%lu bytes=%d",
           name, __riscv_xlen, n, hits, cycles, base, bytes);
    if (site >= 0)
        printk(" site=%d patch=%d", site, FTRACE_PATCH_BYTES);
    printk(" via=%s\n", via);
}

notrace void bench_row(const char *name, int n, int hits, unsigned long cycles,
                       unsigned long base, int bytes, const char *via)
{
    bench_row_site(name, n, hits, cycles, base, bytes, -1, via);
}

notrace void bench_missing(const char *name, const char *reason)
{
    printk("BENCH name=%s xlen=%d missing=%s\n", name, __riscv_xlen, reason);
}
