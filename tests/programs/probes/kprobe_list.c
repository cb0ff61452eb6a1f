/* The kprobes listing (Linux's debugfs kprobes/list format); the test compares the lines
 * between LIST-BEGIN and LIST-END with addresses it reads from the ELF. Registered in
 * this order: a kprobe by symbol+offset, a kretprobe, a disabled kprobe by address, a
 * hardware-breakpoint kprobe, a kprobe in a loop. */
#include "probetest.h"

static int pre(struct kprobe *p, struct pt_regs *regs) { return 0; }
static int ret(struct kretprobe_instance *ri, struct pt_regs *regs) { return 0; }

int main(void)
{
    struct kprobe k1 = { .symbol_name = "alu_mix", .offset = 2, .pre_handler = pre };
    struct kretprobe r1 = { .kp.symbol_name = "loop_count", .handler = ret };
    struct kprobe k2 = { .addr = (void *)p_auipc, .pre_handler = pre,
                         .flags = KPROBE_FLAG_DISABLED };
    struct kprobe k3 = { .addr = (void *)p_xori, .pre_handler = pre,
                         .flags = KPROBE_FLAG_HWBP };
    struct kprobe k4 = { .addr = (void *)p_loop_br, .pre_handler = pre };
    CHECK_EQ(1, register_kprobe(&k1), 0);
    CHECK_EQ(2, register_kretprobe(&r1), 0);
    CHECK_EQ(3, register_kprobe(&k2), 0);
    CHECK_EQ(4, register_kprobe(&k3), 0);
    CHECK_EQ(5, register_kprobe(&k4), 0);
    printk("LIST-BEGIN\n");
    kprobes_list_print();
    printk("LIST-END\n");
    /* after enable and unregister */
    CHECK_EQ(6, enable_kprobe(&k2), 0);
    CHECK_EQ(7, disable_kprobe(&k1), 0);
    unregister_kretprobe(&r1);
    unregister_kprobe(&k4);
    printk("LIST-BEGIN\n");
    kprobes_list_print();
    printk("LIST-END\n");
    unregister_kprobe(&k1);
    unregister_kprobe(&k2);
    unregister_kprobe(&k3);
    printk("LIST-BEGIN\n");
    kprobes_list_print();
    printk("LIST-END\n");
    printk("PASS\n");
    return 0;
}
