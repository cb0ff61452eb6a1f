/* Firmware base self-checks: printk formats, kallsyms both ways, a timer interrupt,
 * a U-mode round trip, PMP keeping the task out of kernel text. The test reads the
 * console and the exit code. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <asm/csr.h>
#include <asm/traps.h>
#include <asm/user.h>

static volatile int ticks;

int __noinline do_work(int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += i * i;
    return s;
}

static void tick(struct pt_regs *regs)
{
    (void)regs;
    ticks++;
    clint_stop_timer();
}

static const char umsg[] __user_data = "user says hi\n";

static long __user_text user_task(long arg)
{
    user_puts(umsg);
    return arg * 2;
}

static long __user_text user_bad_store(long arg)
{
    *(volatile unsigned short *)arg = 0; /* kernel text: PMP denies the store */
    return 0;
}

static int initcall_ran;
static int basics_init(void) { initcall_ran = 1; return 0; }
module_init(basics_init);

int main(void)
{
    char buf[64];
    printk("fmt:[%d][%5d][%-5d|][%05x][%s][%c][%lx][%llx][%u][%%][%i]\n",
           -42, 7, 7, 0xab, "str", 'c', 0x1234UL, 0x123456789abcULL, 4000000000u, 3);
    snprintf(buf, sizeof(buf), "%08x", 0xbeef);
    printk("snprintf:%s\n", buf);
    if (!initcall_ran)
        return 10;
    if (do_work(10) != 285)
        return 11;
    unsigned long a = kallsyms_lookup_name("do_work");
    if (a != (unsigned long)do_work)
        return 12;
    if (kallsyms_lookup_name("no_such_function") != 0)
        return 13;
    printk("sym:%pS\n", (void *)((unsigned long)do_work + 4));

    timer_set_handler(tick);
    clint_set_timer(clint_mtime() + 100);
    local_irq_enable();
    while (!ticks)
        ;
    local_irq_disable();
    printk("ticks:%d\n", ticks);

    long r = run_user_task(user_task, 21);
    printk("user:%ld\n", r);
    if (r != 42)
        return 14;
    unsigned short before = *(volatile unsigned short *)main;
    r = run_user_task(user_bad_store, (long)main);
    printk("bad:%ld\n", r);
    if (r != -EFAULT || *(volatile unsigned short *)main != before)
        return 15;
    return 0;
}
