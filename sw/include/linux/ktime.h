#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H
/* ktime_t in nanoseconds, from the CLINT's mtime. mtime counts core clock cycles on this
 * SoC (PLATFORM.md), so nanoseconds assume a nominal core clock, SPCORE_CLOCK_HZ: cycle
 * counts, not wall time, are what the simulators measure. */
#include <linux/types.h>
#include <asm/traps.h>                   /* clint_mtime() */

#ifndef SPCORE_CLOCK_HZ
#define SPCORE_CLOCK_HZ 100000000ULL    /* nominal 100 MHz: one mtime tick = 10 ns */
#endif
#define NSEC_PER_SEC 1000000000LL
#define NSEC_PER_USEC 1000LL

typedef s64 ktime_t;

static inline ktime_t ktime_get(void)
{
    return (ktime_t)(clint_mtime() * (NSEC_PER_SEC / SPCORE_CLOCK_HZ));
}
static inline u64 ktime_get_ns(void) { return (u64)ktime_get(); }
static inline ktime_t ktime_sub(ktime_t a, ktime_t b) { return a - b; }
static inline ktime_t ktime_add(ktime_t a, ktime_t b) { return a + b; }
static inline s64 ktime_to_ns(ktime_t t) { return t; }
static inline s64 ktime_to_us(ktime_t t) { return t / NSEC_PER_USEC; }
#endif
