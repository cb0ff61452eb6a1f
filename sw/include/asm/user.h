#ifndef _ASM_USER_H
#define _ASM_USER_H
/* The U-mode task: code in `__user_text` functions, data in `__user_data`, its own
 * stack. PMP lets it read/write/execute only the user region [__user_start,
 * __user_end); the kernel's text and data are out of its reach. */
typedef long (*user_fn_t)(long arg);

/* Run fn(arg) in U-mode until it returns or calls sys_exit; returns its exit value,
 * or -EFAULT if it faulted (the fault is reported on the console). */
long run_user_task(user_fn_t fn, long arg);

/* System calls for the task (ecall from U; a7 = number, a0.. = arguments). */
#define SYS_exit 93
#define SYS_putchar 1
#define SYS_yield 124
long user_syscall(long nr, long a0, long a1);
void user_exit(long code) __attribute__((noreturn));
void user_putc(char c);
void user_puts(const char *s);

extern char __user_start[], __user_end[];
#endif
