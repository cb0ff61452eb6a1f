/* CoreMark's port functions for spcore (see core_portme.h). */
#include <stdarg.h>

#include <linux/printk.h>

#include "coremark.h"

/* The seeds CoreMark's run types are defined by (its README: performance run 0, 0, 0x66;
 * validation run 0x3415, 0x3415, 0x66; profile run 8, 8, 8), volatile so the compiler
 * cannot fold the benchmark's work into constants. */
#if PERFORMANCE_RUN
volatile ee_s32 seed1_volatile = 0x0, seed2_volatile = 0x0, seed3_volatile = 0x66;
#elif VALIDATION_RUN
volatile ee_s32 seed1_volatile = 0x3415, seed2_volatile = 0x3415, seed3_volatile = 0x66;
#else
volatile ee_s32 seed1_volatile = 0x8, seed2_volatile = 0x8, seed3_volatile = 0x8;
#endif
volatile ee_s32 seed4_volatile = ITERATIONS;
volatile ee_s32 seed5_volatile = 0;

ee_u32 default_num_contexts = 1;

/* The clock time_in_secs assumes. Only CoreMark's own "Total time" line and its 10-second
 * rule use it; spcore coremark divides iterations by ticks. */
#ifndef CLOCK_HZ
#define CLOCK_HZ 50000000u
#endif

static CORE_TICKS start_ticks, stop_ticks;

static CORE_TICKS read_mcycle(void)
{
    unsigned long c;
    __asm__ volatile("csrr %0, mcycle" : "=r"(c));
    return (CORE_TICKS)c;
}

void start_time(void)
{
    start_ticks = read_mcycle();
}

void stop_time(void)
{
    stop_ticks = read_mcycle();
}

CORE_TICKS get_time(void)
{
    return stop_ticks - start_ticks;      /* modulo 2^32: right across one wrap */
}

secs_ret time_in_secs(CORE_TICKS ticks)
{
    return ticks / CLOCK_HZ;
}

void portable_init(core_portable *p, int *argc, char *argv[])
{
    (void)argc;
    (void)argv;
    if (sizeof(ee_ptr_int) != sizeof(ee_u8 *))
        ee_printf("ERROR! ee_ptr_int does not hold a pointer\n");
    if (sizeof(ee_u32) != 4)
        ee_printf("ERROR! ee_u32 is not 32 bits\n");
    p->portable_id = 1;
}

void portable_fini(core_portable *p)
{
    p->portable_id = 0;
}

int ee_printf(const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vprintk(fmt, ap);
    va_end(ap);
    return n;
}
