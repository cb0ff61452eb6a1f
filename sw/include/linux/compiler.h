#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H
#define notrace __attribute__((no_instrument_function, patchable_function_entry(0, 0)))
#define __noinline __attribute__((noinline))
#define __used __attribute__((used))
#define __weak __attribute__((weak))
#define __section(s) __attribute__((section(s)))
#define __aligned(x) __attribute__((aligned(x)))
#define __packed __attribute__((packed))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier() __asm__ __volatile__("" ::: "memory")
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* A function in the user task's region (PMP lets U-mode execute only there). */
#define __user_text __attribute__((section(".user.text"), noinline, no_instrument_function, \
                                   patchable_function_entry(0, 0)))
#define __user_data __attribute__((section(".user.data")))
#endif
