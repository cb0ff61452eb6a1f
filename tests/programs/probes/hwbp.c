/* Hardware-breakpoint kprobes (KPROBE_FLAG_HWBP): the probe sits on a Sdtrig execute
 * trigger, so no byte of the text changes; stepped and simulated instructions work as
 * with ebreak, one trap per simulated hit; when the triggers are used up (the platform
 * has 2) the probe falls back to a software breakpoint, and a freed trigger is reused;
 * disable/enable and unregister release the trigger. */
#include "probetest.h"

static volatile int hits, post_hits;
static volatile unsigned long pre_epc, post_epc;

static int pre(struct kprobe *p, struct pt_regs *regs)
{
    hits++;
    pre_epc = regs->epc;
    return 0;
}
static void post(struct kprobe *p, struct pt_regs *regs, unsigned long f)
{
    post_hits++;
    post_epc = regs->epc;
}

static unsigned long triggers_armed(void)
{
    unsigned long n = 0;
    for (unsigned long i = 0; i < 8; i++) {
        csr_write(CSR_TSELECT, i);
        if (csr_read(CSR_TSELECT) != i)
            break;
        n += (csr_read(CSR_TDATA1) & 4) != 0;          /* execute bit */
    }
    return n;
}

int main(void)
{
    long want_mix = alu_mix(5), want_auipc = sim_auipc();
    u16 orig_caddi = half(p_caddi);
    u32 orig_slli = word_at(p_slli), orig_xori = word_at(p_xori);
    u32 orig_auipc = word_at(p_auipc);
    CHECK_EQ(1, triggers_armed(), 0);

    /* two probes on triggers: text unchanged, handlers as usual */
    struct kprobe h1 = { .addr = (void *)p_caddi, .pre_handler = pre, .post_handler = post,
                         .flags = KPROBE_FLAG_HWBP };
    struct kprobe h2 = { .addr = (void *)p_auipc, .pre_handler = pre,
                         .flags = KPROBE_FLAG_HWBP };
    CHECK_EQ(2, register_kprobe(&h1), 0);
    CHECK_EQ(3, register_kprobe(&h2), 0);
    CHECK(4, h1.ainsn.hwbp && h2.ainsn.hwbp && h1.ainsn.hwbp != h2.ainsn.hwbp);
    CHECK_EQ(5, triggers_armed(), 2);
    CHECK_EQ(6, half(p_caddi), orig_caddi);
    CHECK_EQ(7, word_at(p_auipc), orig_auipc);
    hits = post_hits = 0;
    trap_count = 0;
    count_traps(1);
    long mix = alu_mix(5);
    unsigned long traps_mix = trap_count;
    long auipc = sim_auipc();
    count_traps(0);
    CHECK_EQ(8, mix, want_mix);
    CHECK_EQ(9, auipc, want_auipc);
    CHECK_EQ(10, hits, 2);
    CHECK_EQ(11, post_hits, 1);
    CHECK_EQ(12, post_epc, (unsigned long)p_caddi + 2);
    CHECK_EQ(13, traps_mix, 2);                        /* trigger + slot ebreak */
    CHECK_EQ(14, trap_count, 3);                       /* + trigger, simulated */
    CHECK_EQ(15, trap_epcs[0], (unsigned long)p_caddi);
    CHECK_EQ(16, trap_causes[0], EXC_BREAKPOINT);

    /* triggers used up: the third falls back to ebreak (bytes written) */
    struct kprobe h3 = { .addr = (void *)p_slli, .pre_handler = pre,
                         .flags = KPROBE_FLAG_HWBP };
    CHECK_EQ(20, register_kprobe(&h3), 0);
    CHECK_EQ(21, h3.ainsn.hwbp, 0);
    CHECK_EQ(22, word_at(p_slli), 0x00100073);
    CHECK_EQ(23, word_at(p_xori), orig_xori);
    printk("LIST-BEGIN\n");
    kprobes_list_print();
    printk("LIST-END\n");
    hits = 0;
    CHECK_EQ(24, alu_mix(5), want_mix);
    CHECK_EQ(25, hits, 2);
    CHECK_EQ(26, pre_epc, (unsigned long)p_slli);

    /* disable frees the trigger, enable takes one again; no byte changes either way */
    CHECK_EQ(30, disable_kprobe(&h2), 0);
    CHECK_EQ(31, h2.ainsn.hwbp, 0);
    CHECK_EQ(32, triggers_armed(), 1);
    hits = 0;
    CHECK_EQ(33, sim_auipc(), want_auipc);
    CHECK_EQ(34, hits, 0);
    CHECK_EQ(35, enable_kprobe(&h2), 0);
    CHECK(36, h2.ainsn.hwbp != 0);
    CHECK_EQ(37, word_at(p_auipc), orig_auipc);
    CHECK_EQ(38, sim_auipc(), want_auipc);
    CHECK_EQ(39, hits, 1);

    /* unregister: triggers released, the ebreak'd one restored, a new probe gets one */
    unregister_kprobe(&h1);
    unregister_kprobe(&h3);
    CHECK_EQ(40, triggers_armed(), 1);
    CHECK_EQ(41, word_at(p_slli), orig_slli);
    struct kprobe h4 = { .addr = (void *)p_xori, .pre_handler = pre,
                         .flags = KPROBE_FLAG_HWBP };
    CHECK_EQ(42, register_kprobe(&h4), 0);
    CHECK(43, h4.ainsn.hwbp != 0);
    CHECK_EQ(44, word_at(p_xori), orig_xori);
    hits = 0;
    CHECK_EQ(45, alu_mix(5), want_mix);
    CHECK_EQ(46, hits, 1);
    CHECK_EQ(47, pre_epc, (unsigned long)p_xori);
    unregister_kprobe(&h4);
    unregister_kprobe(&h2);
    CHECK_EQ(48, triggers_armed(), 0);
    hits = 0;
    alu_mix(5);
    sim_auipc();
    CHECK_EQ(49, hits, 0);
    CHECK_EQ(50, half(p_caddi), orig_caddi);
    CHECK_EQ(51, word_at(p_auipc), orig_auipc);
    printk("PASS\n");
    return 0;
}
