/* Scenario 3 and the errno contract: every refusal returns the right errno and leaves
 * the text (and the probe) unchanged. */
#include "probetest.h"

static u8 snap[64];

static int noop_pre(struct kprobe *p, struct pt_regs *regs) { return 0; }
static int hits;
static int count_pre(struct kprobe *p, struct pt_regs *regs) { hits++; return 0; }

/* register_kprobe at addr must fail with err and change no byte around it */
static int refused(void *addr, int err)
{
    u8 *t = (u8 *)((unsigned long)addr & ~1UL) - 16;
    for (int i = 0; i < 64; i++)
        snap[i] = t[i];
    struct kprobe kp = { .addr = addr, .pre_handler = noop_pre };
    int r = register_kprobe(&kp);
    if (r != err) {
        printk("register_kprobe(%pS) = %d, want %d\n", addr, r, err);
        if (!r)
            unregister_kprobe(&kp);
        return 0;
    }
    for (int i = 0; i < 64; i++)
        if (t[i] != snap[i]) {
            printk("text changed at %pS\n", t + i);
            return 0;
        }
    return kp.addr == addr && !(kp.flags & ~KPROBE_FLAG_DISABLED);
}

static struct kprobe inner_kp = { .addr = (void *)p_xori, .pre_handler = noop_pre };
static int busy_ret = 1;
static int register_from_handler(struct kprobe *p, struct pt_regs *regs)
{
    busy_ret = register_kprobe(&inner_kp);
    return 0;
}

int main(void)
{
    CHECK(1, refused(p_ecall, -EINVAL));
    CHECK(2, refused(p_ebreak, -EINVAL));
    CHECK(3, refused(p_cebreak, -EINVAL));
    CHECK(4, refused(p_csrr, -EINVAL));
    CHECK(5, refused(p_csrw, -EINVAL));
    CHECK(6, refused(p_fence, -EINVAL));
    CHECK(7, refused(p_fencei, -EINVAL));
    CHECK(8, refused(p_wfi, -EINVAL));
    CHECK(9, refused(p_mret, -EINVAL));
    CHECK(10, refused(p_slli + 1, -EILSEQ));          /* odd */
    CHECK(11, refused(p_slli + 2, -EILSEQ));          /* second half of an RVI */
#ifdef CONFIG_XJALL
    CHECK(12, refused(p_cjall + 2, -EILSEQ));         /* c.jall's literal bytes */
    CHECK(13, refused(p_cjall + 4, -EILSEQ));
#endif
#ifndef CONFIG_XSPC
    CHECK(14, refused(p_lrw2spc, -EINVAL));           /* no Xspc: pc-relative, unknown */
#endif
    /* the trap path and kprobes itself */
    CHECK(15, refused((void *)kallsyms_lookup_name("do_trap"), -EINVAL));
    CHECK(16, refused((void *)register_kprobe, -EINVAL));
    CHECK(17, refused((void *)kallsyms_lookup_name("kprobe_breakpoint_handler"), -EINVAL));
    CHECK(18, refused(trap_entry, -EINVAL));
    CHECK(19, refused(p_u_caddi, -EINVAL));           /* user text: uprobes' business */
    CHECK(20, refused((void *)&snap[8], -EINVAL));     /* data, no function */

    struct kprobe ks = { .symbol_name = "no_such_function", .pre_handler = noop_pre };
    CHECK_EQ(21, register_kprobe(&ks), -ENOENT);
    struct kprobe both = { .symbol_name = "alu_mix", .addr = (void *)p_caddi };
    CHECK_EQ(22, register_kprobe(&both), -EINVAL);
    struct kprobe none = { .pre_handler = noop_pre };
    CHECK_EQ(23, register_kprobe(&none), -EINVAL);

    /* duplicate address, and the same struct twice */
    struct kprobe a = { .addr = (void *)p_caddi, .pre_handler = noop_pre };
    struct kprobe b = { .symbol_name = "alu_mix", .pre_handler = noop_pre };
    CHECK_EQ(24, register_kprobe(&a), 0);
    CHECK_EQ(25, register_kprobe(&b), -EEXIST);
    CHECK_EQ(26, register_kprobe(&a), -EINVAL);
    CHECK_EQ(27, half(p_caddi), 0x9002);              /* a's breakpoint still there */

    /* registering from inside a handler */
    a.pre_handler = register_from_handler;
    CHECK_EQ(28, alu_mix(0), (3 << 2) ^ 0x55);
    CHECK_EQ(29, busy_ret, -EBUSY);
    unregister_kprobe(&a);

    /* out of XOL slots: -ENOMEM, text unchanged, the others still work */
    static struct kprobe many[80];
    int n = 0, r = 0, xol = 0;
    unsigned long at = (unsigned long)kallsyms_lookup_name("many_addi");
    unsigned long size, off;
    CHECK(30, kallsyms_lookup(at, &size, &off) != NULL);
    /* walk the instructions of a large function and probe each XOL-class one */
    for (unsigned long pc = at; pc < at + size && n < 80; ) {
        int len = (half((void *)pc) & 3) != 3 ? 2 : 4;
        many[n].addr = (void *)pc;
        many[n].pre_handler = count_pre;
        u32 before = word_at((void *)pc);
        r = register_kprobe(&many[n]);
        if (r == 0)
            xol += many[n++].ainsn.insn != NULL;
        else if (r == -ENOMEM) {
            CHECK_EQ(31, word_at((void *)pc), before);
            break;
        }
        pc += len;
    }
    long sum = many_addi(0);
    for (int i = 0; i < n; i++)
        unregister_kprobe(&many[i]);
    CHECK_EQ(36, sum, 72);
    CHECK_EQ(37, hits, n);
    CHECK_EQ(32, r, -ENOMEM);
    CHECK_EQ(33, xol, 64);                             /* every slot was usable */

    /* kretprobe only at a function's entry */
    u32 slli = word_at(p_slli);
    struct kretprobe rp = { .kp.symbol_name = "alu_mix", .kp.offset = 2 };
    CHECK_EQ(34, register_kretprobe(&rp), -EINVAL);
    CHECK_EQ(35, word_at(p_slli), slli);
    struct kretprobe rn = { .kp.symbol_name = "no_such_function" };
    CHECK_EQ(38, register_kretprobe(&rn), -ENOENT);
    /* more instances than the instance arena holds: -ENOMEM, nothing armed */
    u16 caddi = half(p_caddi);
    struct kretprobe rbig = { .kp.symbol_name = "alu_mix", .maxactive = 100000 };
    CHECK_EQ(39, register_kretprobe(&rbig), -ENOMEM);
    CHECK_EQ(40, half(p_caddi), caddi);
    struct kretprobe rok = { .kp.symbol_name = "alu_mix" };
    CHECK_EQ(41, register_kretprobe(&rok), 0);           /* the arena was given back */
    unregister_kretprobe(&rok);
    CHECK_EQ(42, half(p_caddi), caddi);

    /* register_kprobes: one bad probe in the batch undoes the good ones */
    struct kprobe g1 = { .addr = (void *)p_xori, .pre_handler = noop_pre };
    struct kprobe g2 = { .addr = (void *)p_ecall, .pre_handler = noop_pre };
    struct kprobe *batch[] = { &g1, &g2 };
    u32 xori = word_at(p_xori);
    CHECK_EQ(43, register_kprobes(batch, 2), -EINVAL);
    CHECK_EQ(44, word_at(p_xori), xori);
    CHECK_EQ(45, register_kprobe(&g1), 0);               /* g1 is free to register again */
    unregister_kprobe(&g1);
    printk("PASS\n");
    return 0;
}
