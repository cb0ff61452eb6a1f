/* Shared by the measurement programs (sw/bench/probes.c, ftrace.c): time N calls of a
 * function with mcycle, and print one machine-readable line per row for `spcore bench`:
 *
 *   BENCH name=k n=8 hits=8 cycles=C base=B bytes=4 via=ebreak
 *   BENCH name=o-spc missing=not-optimized
 *
 * cycles: mcycle delta around n calls with the mechanism armed and an empty handler;
 * base: the same loop over the same (or an identical untraced) function unarmed;
 * hits: handler invocations counted in a second, untimed pass with a counting handler
 * (must equal n); bytes: text bytes the arming changed at the site (ftrace rows also
 * give site=, the site's size, and patch=, what one enable stores); via: how the
 * runtime armed it. The per-hit cost is (cycles - base) / n. The loop runs with
 * interrupts off, so nothing but the mechanism is in the delta. */
#ifndef BENCH_H
#define BENCH_H
#include <linux/kernel.h>
#include <asm/csr.h>

#ifndef BENCH_N
#define BENCH_N 4
#endif

typedef long (*bench_fn)(long);
extern volatile long bench_sink;

/* mcycle delta around n calls of fn (noipa: fn stays an indirect call). */
unsigned long bench_loop(bench_fn fn, int n);

/* Bytes in the 2-byte parcels that differ between two snapshots of text (a parcel
 * whose new value equals its old one was not changed). */
int bench_diff_parcels(const u8 *a, const u8 *b, int len);
void bench_snapshot(u8 *dst, const void *text, int len);

void bench_row(const char *name, int n, int hits, unsigned long cycles,
               unsigned long base, int bytes, const char *via);
void bench_row_site(const char *name, int n, int hits, unsigned long cycles,
                    unsigned long base, int bytes, int site, const char *via);
void bench_missing(const char *name, const char *reason);
#endif
