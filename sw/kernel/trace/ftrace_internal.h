#ifndef _FTRACE_INTERNAL_H
#define _FTRACE_INTERNAL_H
/* What the rest of the tracing runtime (kprobe-on-ftrace) needs from ftrace.c. */
#include <linux/ftrace.h>

/* The site whose bytes contain addr (its ip), or 0. Unlike ftrace_location() a
 * function's start is not mapped to a site further in (mcount). */
unsigned long ftrace_site_containing(unsigned long addr);
/* Prepare the sites once (nop them, write the fixed parts); every API calls it. */
void ftrace_init_sites(void);
#endif
