/* Boot: module_init functions, main(), module_exit functions, then end the run. */
#include <linux/module.h>
#include <linux/sched.h>
#include <asm/csr.h>
#include <asm/traps.h>

#define SIM_EXIT_REG ((volatile unsigned int *)0x10000008UL)

extern initcall_t __initcall_start[], __initcall_end[];
extern exitcall_t __exitcall_start[], __exitcall_end[];

extern char __user_start[], __user_end[];
static struct mm_struct init_mm = { (unsigned long)__user_start, (unsigned long)__user_end };
struct task_struct init_task = { .pid = 1, .comm = "main", .mm = &init_mm };

/* The user's program; a module-only image has none. */
int main(void) __attribute__((weak));

void notrace sim_exit(int code)
{
    *SIM_EXIT_REG = (unsigned int)code;
    for (;;)
        ;
}

void notrace panic(const char *fmt, ...)
{
    va_list ap;
    printk("Kernel panic: ");
    va_start(ap, fmt);
    vprintk(fmt, ap);
    va_end(ap);
    printk("\n");
    sim_exit(0xdead);
}

void notrace __attribute__((noreturn)) kernel_main(void)
{
    int ret = 0;
    for (initcall_t *f = __initcall_start; f < __initcall_end; f++) {
        int r = (*f)();
        if (r) {
            printk("module_init %pS failed: %d\n", (void *)*f, r);
            ret = r < 0 ? -r : r;
        }
    }
    if (!ret && main)
        ret = main();
    for (exitcall_t *f = __exitcall_start; f < __exitcall_end; f++)
        (*f)();
    sim_exit(ret);
}
