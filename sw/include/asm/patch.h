#ifndef _ASM_PATCH_H
#define _ASM_PATCH_H
#include <linux/types.h>

/* Write len bytes of instruction(s) at addr with interrupts off, then fence.i, as
 * Linux's patch_text_nosync (one hart: no stop_machine needed). 2-byte aligned
 * stores, so a 4-byte instruction at an address 2 mod 4 is written too. */
int patch_text_nosync(void *addr, const void *insns, size_t len);
int patch_text(void *addr, const void *insns, size_t len);
static inline void flush_icache_all(void) { __asm__ __volatile__("fence.i" ::: "memory"); }
#endif
