/* A probe user written the way a Linux kprobes module is written (the shape of Linux's
 * samples/kprobes, code of this project): only <linux/...> headers, probes planted by
 * module_init and removed by module_exit, a module parameter naming the symbol, handlers
 * marked NOKPROBE_SYMBOL, ktime timing, current->mm. main() is the "rest of the system":
 * it calls the probed functions and checks what the module saw. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/sched.h>

/* ---- the probed code ---- */
__attribute__((noipa)) long sum_squares(long n)
{
    long s = 0;
    for (long i = 1; i <= n; i++)
        s += i * i;
    return s;
}

__attribute__((noipa)) long sum_cubes(long n)
{
    long s = 0;
    for (long i = 1; i <= n; i++)
        s += i * i * i;
    return s;
}

/* ---- the module ---- */
static char symbol[KSYM_NAME_LEN] = "sum_squares";
module_param_string(symbol, symbol, sizeof(symbol), 0644);
MODULE_PARM_DESC(symbol, "function to probe");

static int pre_hits, post_hits;
static unsigned long pre_epc, post_epc;

static int __kprobes handler_pre(struct kprobe *p, struct pt_regs *regs)
{
    pre_hits++;
    pre_epc = regs->epc;
    pr_info("<%s> p->addr = 0x%p, pc = 0x%lx, status = 0x%lx\n",
            p->symbol_name, p->addr, regs->epc, regs->status);
    return 0;
}
NOKPROBE_SYMBOL(handler_pre);

static void __kprobes handler_post(struct kprobe *p, struct pt_regs *regs,
                                   unsigned long flags)
{
    post_hits++;
    post_epc = regs->epc;
}
NOKPROBE_SYMBOL(handler_post);

static struct kprobe kp = { .symbol_name = symbol };

struct call_data {
    ktime_t entry_stamp;
    long arg;
};
static int ret_hits;
static long ret_value, ret_arg;
static s64 ret_ns;

static int entry_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    struct call_data *data;
    if (!current->mm)
        return 1;           /* a kernel thread: skip (never here: the one task has an mm) */
    data = (struct call_data *)ri->data;
    data->entry_stamp = ktime_get();
    data->arg = regs->a0;
    return 0;
}
NOKPROBE_SYMBOL(entry_handler);

static int ret_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    struct call_data *data = (struct call_data *)ri->data;
    ret_value = regs_return_value(regs);
    ret_arg = data->arg;
    ret_ns = ktime_to_ns(ktime_sub(ktime_get(), data->entry_stamp));
    ret_hits++;
    pr_info("sum_cubes(%ld) returned %ld and took %lld ns to execute\n",
            ret_arg, ret_value, (long long)ret_ns);
    return 0;
}
NOKPROBE_SYMBOL(ret_handler);

static struct kretprobe my_kretprobe = {
    .handler = ret_handler,
    .entry_handler = entry_handler,
    .data_size = sizeof(struct call_data),
    .maxactive = 4,
};

static int __init probes_init(void)
{
    int ret;
    kp.pre_handler = handler_pre;
    kp.post_handler = handler_post;
    ret = register_kprobe(&kp);
    if (ret < 0) {
        pr_err("register_kprobe failed, returned %d\n", ret);
        return ret;
    }
    pr_info("Planted kprobe at %p\n", kp.addr);
    my_kretprobe.kp.symbol_name = "sum_cubes";
    ret = register_kretprobe(&my_kretprobe);
    if (ret < 0) {
        pr_err("register_kretprobe failed, returned %d\n", ret);
        unregister_kprobe(&kp);
        return ret;
    }
    pr_info("Planted return probe at %s: %p\n", my_kretprobe.kp.symbol_name,
            my_kretprobe.kp.addr);
    return 0;
}

static void __exit probes_exit(void)
{
    unregister_kretprobe(&my_kretprobe);
    unregister_kprobe(&kp);
    pr_info("kretprobe at %p unregistered, missed %d\n", my_kretprobe.kp.addr,
            my_kretprobe.nmissed);
}

module_init(probes_init);
module_exit(probes_exit);
MODULE_LICENSE("GPL");

/* ---- the rest of the system ---- */
#define CHECK(code, cond) do { if (!(cond)) { \
        printk("FAIL %d: %s\n", (code), #cond); return (code); } } while (0)

int main(void)
{
    CHECK(1, kp.addr == (kprobe_opcode_t *)sum_squares);
    CHECK(2, my_kretprobe.kp.addr == (kprobe_opcode_t *)sum_cubes);
    CHECK(3, sum_squares(10) == 385 && sum_squares(3) == 14);
    CHECK(4, pre_hits == 2 && post_hits == 2);
    CHECK(5, pre_epc == (unsigned long)sum_squares);
    CHECK(6, post_epc > (unsigned long)sum_squares && post_epc <= (unsigned long)sum_squares + 4);
    CHECK(7, sum_cubes(4) == 100 && ret_hits == 1 && ret_value == 100 && ret_arg == 4);
    CHECK(8, ret_ns > 0);
    CHECK(9, current->mm && current->pid == 1);
    /* the handlers themselves may not be probed */
    static struct kprobe on_handler = { .symbol_name = "handler_pre" };
    CHECK(10, register_kprobe(&on_handler) == -EINVAL);
    static struct kprobe on_ret_handler = { .symbol_name = "ret_handler", .offset = 4 };
    CHECK(11, register_kprobe(&on_ret_handler) == -EINVAL);
    printk("PASS\n");
    return 0;
}
