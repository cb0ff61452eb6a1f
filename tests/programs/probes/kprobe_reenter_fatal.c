/* Scenario 5, second half: a probe hit while another is being single-stepped (status
 * HIT_SS) cannot be recovered; kprobes must detect it and stop (Linux: BUG()). The only
 * way to get there is a slot that runs into a probed instruction, so the pre_handler
 * rewrites its own slot into a jump to the second probe. Expected: a Kernel panic
 * after "Failed to recover from reentered kprobes", exit 0xdead. */
#include "probetest.h"

static struct kprobe b;

static u32 jal_x0(long off)
{
    return 0x6f | ((off >> 20) & 1) << 31 | ((off >> 1) & 0x3ff) << 21 |
           ((off >> 11) & 1) << 20 | ((off >> 12) & 0xff) << 12;
}

static int corrupt_slot(struct kprobe *p, struct pt_regs *regs)
{
    u32 j = jal_x0((long)b.addr - (long)p->ainsn.insn);
    patch_text(p->ainsn.insn, &j, 4);
    return 0;
}
static void post(struct kprobe *p, struct pt_regs *regs, unsigned long f) { }
static int pre_b(struct kprobe *p, struct pt_regs *regs) { return 0; }

int main(void)
{
    struct kprobe a = { .addr = (void *)p_slli, .pre_handler = corrupt_slot, .post_handler = post };
    b.addr = (void *)p_xori;
    b.pre_handler = pre_b;
    CHECK_EQ(1, register_kprobe(&a), 0);
    CHECK_EQ(2, register_kprobe(&b), 0);
    alu_mix(1);
    printk("not detected\n");
    return 3;
}
