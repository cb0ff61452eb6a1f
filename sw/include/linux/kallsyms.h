#ifndef _LINUX_KALLSYMS_H
#define _LINUX_KALLSYMS_H
#include <linux/types.h>

#define KSYM_NAME_LEN 128
#define KSYM_SYMBOL_LEN 256

/* The symbol table embedded by `spcore build`'s second link (every function). */
unsigned long kallsyms_lookup_name(const char *name);
/* Name, size and offset of the function containing addr; NULL if none. */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size, unsigned long *offset);
/* "do_work+0x1c/0x40" */
int sprint_symbol(char *buf, unsigned long addr);
#endif
