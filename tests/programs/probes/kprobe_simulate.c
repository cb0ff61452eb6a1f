/* Scenario 2: every simulated class gives what the hardware gives (compared with the
 * unprobed run and with the value the ISA defines), one trap per hit, and post_handler
 * sees epc at the simulated next pc. */
#include "probetest.h"

static int hits, post_hits;
static unsigned long post_epc;

static int pre(struct kprobe *p, struct pt_regs *regs) { hits++; return 0; }
static void post(struct kprobe *p, struct pt_regs *regs, unsigned long f)
{
    post_hits++;
    post_epc = regs->epc;
}

static struct kprobe kp;

static int arm(void *addr)
{
    memset(&kp, 0, sizeof(kp));
    kp.addr = addr;
    kp.pre_handler = pre;
    kp.post_handler = post;
    hits = post_hits = 0;
    post_epc = 0;
    return register_kprobe(&kp);
}

/* Run fn probed at addr; it must give want (== the unprobed result), hit once, trap once. */
#define PROBED(code, addr, call, want) do { \
        long __u = (call); \
        CHECK_EQ(code, __u, (want)); \
        CHECK_EQ(code + 1, arm(addr), 0); \
        trap_count = 0; count_traps(1); \
        long __p = (call); \
        count_traps(0); \
        unregister_kprobe(&kp); \
        CHECK_EQ(code + 2, __p, __u); \
        CHECK_EQ(code + 3, hits, 1); \
        CHECK_EQ(code + 4, trap_count, 1); \
    } while (0)

typedef long (*br_fn)(long, long);
static const struct { br_fn fn; char *p; const char *name; } branches[] = {
    { br_beq, p_beq, "beq" }, { br_bne, p_bne, "bne" }, { br_blt, p_blt, "blt" },
    { br_bge, p_bge, "bge" }, { br_bltu, p_bltu, "bltu" }, { br_bgeu, p_bgeu, "bgeu" },
};

static long br_expect(int i, long a, long b)
{
    switch (i) {
    case 0: return a == b;
    case 1: return a != b;
    case 2: return a < b;
    case 3: return a >= b;
    case 4: return (unsigned long)a < (unsigned long)b;
    default: return (unsigned long)a >= (unsigned long)b;
    }
}

int main(void)
{
    PROBED(10, p_auipc, sim_auipc(), (long)p_auipc - 0x1000);
    PROBED(20, p_jal, sim_jal(), (long)p_jal + 4);
    CHECK_EQ(25, post_epc, (unsigned long)p_jal + 8);      /* the jal's target */
    PROBED(30, p_jal0, sim_jal0(), 7);
    PROBED(40, p_jalr, sim_jalr(), (long)p_jalr + 4);
    CHECK_EQ(45, post_epc, (unsigned long)p_jalr + 8);     /* odd target, bit 0 cleared */
    PROBED(50, p_jalr_same, sim_jalr_same(), (long)p_jalr_same + 4);

    /* all six branches, taken and not taken, signed/unsigned distinguished */
    static const long pairs[][2] = { {3, 3}, {3, 4}, {4, 3}, {-1, 1}, {1, -1} };
    for (int i = 0; i < 6; i++)
        for (int j = 0; j < 5; j++) {
            long a = pairs[j][0], b = pairs[j][1];
            PROBED(100 + 10 * i, branches[i].p, branches[i].fn(a, b), br_expect(i, a, b));
        }
    /* a backward (negative offset) branch in a loop: hit each iteration */
    CHECK_EQ(170, arm(p_loop_br), 0);
    CHECK_EQ(171, loop_count(9), 9);
    CHECK_EQ(172, hits, 9);
    unregister_kprobe(&kp);

    PROBED(180, p_cj, sim_cj(), 5);
#if __riscv_xlen == 32
    PROBED(190, p_cjal, sim_cjal(), (long)p_cjal + 2);
#endif
    PROBED(200, p_cjr, sim_cjr(), 6);
    PROBED(210, p_cjalr, sim_cjalr(), (long)p_cjalr + 2);
    PROBED(220, p_cbeqz, br_cbeqz(0), 1);
    PROBED(230, p_cbeqz, br_cbeqz(5), 0);
    PROBED(240, p_cbnez, br_cbnez(0), 0);
    PROBED(250, p_cbnez, br_cbnez(-7), 1);
#ifdef CONFIG_XJALL
    u16 before = half(p_cjall + 2);
    PROBED(260, p_cjall, sim_cjall(), (long)p_cjall + 6);
    /* a c.ebreak over the first parcel only: the literal stays whole while armed */
    CHECK_EQ(266, arm(p_cjall), 0);
    CHECK_EQ(267, half(p_cjall), 0x9002);
    CHECK_EQ(268, half(p_cjall + 2), before);
    /* the boundary walk reads the original c.jall (6 bytes), not the c.ebreak (2): the
       next instruction is a boundary, the literal's parcels are not */
    static struct kprobe next = { .pre_handler = pre };
    next.addr = (kprobe_opcode_t *)(p_cjall + 6);
    CHECK_EQ(269, register_kprobe(&next), 0);
    unregister_kprobe(&next);
    next.addr = (kprobe_opcode_t *)(p_cjall + 2);
    CHECK_EQ(265, register_kprobe(&next), -EILSEQ);
    unregister_kprobe(&kp);
#endif
#ifdef CONFIG_XSPC
    PROBED(270, p_lrw2spc, sim_lrw2spc(), 11);
    PROBED(280, p_lrw2spc_now, sim_lrw2spc_now(), 20);
#endif
    printk("PASS\n");
    return 0;
}
