/* Breakpoint kprobes, linux-tracing-notes.md section 7 scenarios 1, 4, 8, 9 and the
 * boosted slot: bytes written, handler order and registers, results as unprobed,
 * original bytes back, adjacent probes, entry probe, loop hit count, traps per hit and
 * the XOL slot's bytes (ebreak slot; boosted insn ; lrw2spc ; literal with Xspc). */
#include "probetest.h"

static int seq[16], nseq;
static unsigned long pre_epc, post_epc, pre_a0;
static int pre_hits, post_hits;

static int pre(struct kprobe *p, struct pt_regs *regs)
{
    seq[nseq++ & 15] = 1;
    pre_hits++;
    pre_epc = regs->epc;
    pre_a0 = regs->a0;
    return 0;
}

static void post(struct kprobe *p, struct pt_regs *regs, unsigned long flags)
{
    seq[nseq++ & 15] = 2;
    post_hits++;
    post_epc = regs->epc;
}

static void reset(void)
{
    nseq = pre_hits = post_hits = 0;
    pre_epc = post_epc = pre_a0 = 0;
}

/* pre_handler that skips the probed c.addi: epc past it, non-zero return */
static int skip_pre(struct kprobe *p, struct pt_regs *regs)
{
    pre_hits++;
    regs->epc += 2;
    return 1;
}

static int count_pre(struct kprobe *p, struct pt_regs *regs)
{
    pre_hits++;
    return 0;
}

int main(void)
{
    long want = alu_mix(5);                      /* unprobed */
    CHECK_EQ(1, want, ((5 + 3) << 2) ^ 0x55);
    u16 orig_caddi = half(p_caddi);
    u32 orig_slli = word_at(p_slli), orig_xori = word_at(p_xori);
    CHECK_EQ(2, (unsigned long)p_slli & 3, 2);   /* RVI at 2 mod 4 spans a word */

    /* Scenario 1: RVI and RVC, ebreak vs c.ebreak, pre -> step -> post. */
    struct kprobe kc = { .addr = (void *)p_caddi, .pre_handler = pre, .post_handler = post };
    struct kprobe ks = { .symbol_name = "alu_mix", .offset = 2, .pre_handler = pre,
                         .post_handler = post };
    CHECK_EQ(3, register_kprobe(&kc), 0);
    CHECK_EQ(4, register_kprobe(&ks), 0);
    CHECK_EQ(5, (unsigned long)ks.addr, (unsigned long)p_slli);
    CHECK_EQ(6, half(p_caddi), 0x9002);
    CHECK_EQ(7, word_at(p_slli), 0x00100073);
    CHECK_EQ(8, word_at(p_xori), orig_xori);     /* the neighbour untouched */
    reset();
    CHECK_EQ(9, alu_mix(5), want);
    CHECK_EQ(10, pre_hits, 2);
    CHECK_EQ(11, post_hits, 2);
    CHECK(12, seq[0] == 1 && seq[1] == 2 && seq[2] == 1 && seq[3] == 2);
    CHECK_EQ(13, pre_epc, (unsigned long)p_slli);          /* last hit: the slli */
    CHECK_EQ(14, pre_a0, 5 + 3);                            /* c.addi already done */
    CHECK_EQ(15, post_epc, (unsigned long)p_slli + 4);     /* resume after it */

    /* Scenario 9: the adjacent instruction too; probe in a loop counts iterations. */
    struct kprobe kx = { .addr = (void *)p_xori, .pre_handler = pre, .post_handler = post };
    CHECK_EQ(16, register_kprobe(&kx), 0);
    reset();
    CHECK_EQ(17, alu_mix(5), want);
    CHECK_EQ(18, pre_hits, 3);
    CHECK_EQ(19, post_epc, (unsigned long)p_xori + 4);
    struct kprobe kl = { .addr = (void *)p_loop_body, .pre_handler = count_pre };
    CHECK_EQ(20, register_kprobe(&kl), 0);
    reset();
    CHECK_EQ(21, loop_count(37), 37);
    CHECK_EQ(22, pre_hits, 37);

    /* Scenario 8: unregister restores the exact bytes (2 B, 4 B at 2 mod 4). */
    unregister_kprobe(&kc);
    unregister_kprobe(&ks);
    unregister_kprobe(&kx);
    unregister_kprobe(&kl);
    CHECK_EQ(23, half(p_caddi), orig_caddi);
    CHECK_EQ(24, word_at(p_slli), orig_slli);
    CHECK_EQ(25, word_at(p_xori), orig_xori);
    reset();
    CHECK_EQ(26, alu_mix(5), want);
    CHECK_EQ(27, pre_hits, 0);

    /* disable/enable: text restored while disabled, probe kept. */
    CHECK_EQ(28, register_kprobe(&kc), 0);
    CHECK_EQ(29, disable_kprobe(&kc), 0);
    CHECK_EQ(30, half(p_caddi), orig_caddi);
    CHECK(31, kc.flags & KPROBE_FLAG_DISABLED);
    reset();
    alu_mix(5);
    CHECK_EQ(32, pre_hits, 0);
    CHECK_EQ(33, enable_kprobe(&kc), 0);
    CHECK_EQ(34, half(p_caddi), 0x9002);
    alu_mix(5);
    CHECK_EQ(35, pre_hits, 1);
    printk("LIST-BEGIN\n");
    disable_kprobe(&kc);
    kprobes_list_print();
    printk("LIST-END\n");
    unregister_kprobe(&kc);

    /* Scenario 4: a pre_handler that moved epc: no step, resume there. */
    struct kprobe kskip = { .addr = (void *)p_caddi, .pre_handler = skip_pre,
                            .post_handler = post };
    CHECK_EQ(36, register_kprobe(&kskip), 0);
    reset();
    CHECK_EQ(37, alu_mix(5), (5 << 2) ^ 0x55);   /* the c.addi did not run */
    CHECK_EQ(38, pre_hits, 1);
    CHECK_EQ(39, post_hits, 0);
    unregister_kprobe(&kskip);

    /* Traps per hit: two for an ebreak slot (post_handler), one when boosted. */
    struct kprobe kt = { .addr = (void *)p_slli, .pre_handler = pre, .post_handler = post };
    CHECK_EQ(40, register_kprobe(&kt), 0);
    trap_count = 0;
    count_traps(1);
    long r = alu_mix(5);
    count_traps(0);
    CHECK_EQ(41, r, want);
    CHECK_EQ(42, trap_count, 2);
    unregister_kprobe(&kt);
    struct kprobe kb = { .addr = (void *)p_slli, .pre_handler = count_pre };
    CHECK_EQ(43, register_kprobe(&kb), 0);
    reset();
    trap_count = 0;
    count_traps(1);
    r = alu_mix(5);
    count_traps(0);
    CHECK_EQ(44, r, want);
    CHECK_EQ(45, pre_hits, 1);
    /* the slot: insn ; ebreak at +0, and (Xspc) insn ; lrw2spc +4 ; literal ending at
     * +12 (lrw2spc's encoding from EXTENSIONS.md: imm 4, custom-0) */
    const u8 *slot = (const u8 *)kb.ainsn.insn;
    CHECK(49, slot != NULL);
    CHECK_EQ(50, word_at(slot), orig_slli);
    CHECK_EQ(51, word_at(slot + 4), 0x00100073);
#ifdef CONFIG_XSPC
    CHECK_EQ(46, trap_count, 1);                 /* back through lrw2spc */
    CHECK_EQ(52, word_at(slot + 8), orig_slli);
    CHECK_EQ(53, word_at(slot + 12), 0x0040000b);
    CHECK_EQ(54, *(const unsigned long *)(slot + 16), (unsigned long)p_slli + 4);
    CHECK_EQ(55, trap_epcs[0], (unsigned long)p_slli);
#else
    CHECK_EQ(47, trap_count, 2);                 /* no Xspc: ebreak slot */
    CHECK_EQ(56, trap_epcs[1], (unsigned long)slot + 4);
#endif
    unregister_kprobe(&kb);
    CHECK_EQ(48, word_at(p_slli), orig_slli);

    /* a 16-bit instruction boosted the same way: c.addi at +10, one trap */
    struct kprobe kbc = { .addr = (void *)p_caddi, .pre_handler = count_pre };
    CHECK_EQ(57, register_kprobe(&kbc), 0);
    slot = (const u8 *)kbc.ainsn.insn;
    CHECK_EQ(58, half(slot), orig_caddi);
    CHECK_EQ(59, word_at(slot + 2), 0x00100073);
    reset();
    trap_count = 0;
    count_traps(1);
    r = alu_mix(5);
    count_traps(0);
    CHECK_EQ(60, r, want);
    CHECK_EQ(61, pre_hits, 1);
#ifdef CONFIG_XSPC
    CHECK_EQ(62, half(slot + 10), orig_caddi);
    CHECK_EQ(63, word_at(slot + 12), 0x0040000b);
    CHECK_EQ(64, *(const unsigned long *)(slot + 16), (unsigned long)p_caddi + 2);
    CHECK_EQ(65, trap_count, 1);
#else
    CHECK_EQ(66, trap_count, 2);
#endif
    unregister_kprobe(&kbc);
    CHECK_EQ(67, half(p_caddi), orig_caddi);
    printk("PASS\n");
    return 0;
}
