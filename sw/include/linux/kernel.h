#ifndef _LINUX_KERNEL_H
#define _LINUX_KERNEL_H
#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/printk.h>
#include <linux/errno.h>
#include <linux/kallsyms.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* End the simulation with an exit code (0 = pass); PLATFORM.md sim-exit register. */
void __attribute__((noreturn)) sim_exit(int code);
/* Print a message and fail the run. */
void __attribute__((noreturn)) panic(const char *fmt, ...);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) BUG(); } while (0)
#define WARN_ON(c) ({ int __w = !!(c); if (unlikely(__w)) printk("WARNING at %s:%d\n", __FILE__, __LINE__); __w; })
#endif
