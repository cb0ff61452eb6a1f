/* Scenario 12: uprobes and uretprobes on the U-mode task. c.ebreak over an RVC and an
 * RVI instruction; the handler sees the task's registers; the instruction is stepped in
 * the task's own region (its ebreak traps from there) or simulated (a branch: one trap);
 * a stepped load that faults is the probed load's fault (xol_was_trapped), a good
 * retry works; a uretprobe swaps ra for the trampoline and restores it; bad input. */
#include <linux/uprobes.h>
#include <asm/user.h>
#include "probetest.h"

static int __user_data u_word = 0x5a5a;
static int kernel_word = 0x1111;

long __user_text u_caller(long x) { return u_alu(x) + u_alu(x + 1); }
long __user_text u_beq_eq(long x) { return u_beq(x, x); }
long __user_text u_beq_ne(long x) { return u_beq(x, x + 1); }

static volatile long __user_data u_sink;
/* u_rec(n) = n + ... + 1, a real recursion (the store after the call keeps gcc from
 * turning it into a loop) */
long __user_text u_rec(long n)
{
    if (n <= 1)
        return 1;
    long r = u_rec(n - 1);
    u_sink = r;
    return r + n;
}

static int in_user(unsigned long a)
{
    return a >= (unsigned long)__user_start && a < (unsigned long)__user_end;
}

static int in_function(unsigned long addr, const char *name)
{
    const char *s = kallsyms_lookup(addr, NULL, NULL);
    return s && !strcmp(s, name);
}

static volatile int a_hits, b_hits, ret_hits, umode_ok;
static volatile unsigned long a_epc, a_a0, b_epc, b_a0, b_ra, ret_func[4], ret_a0[4],
    ret_epc[4], ret_ra[4];

static int h_a(struct uprobe_consumer *c, struct pt_regs *regs)
{
    a_hits++;
    a_epc = regs->epc;
    a_a0 = regs->a0;
    umode_ok += user_mode(regs);
    return 0;
}
static int h_b(struct uprobe_consumer *c, struct pt_regs *regs)
{
    b_hits++;
    b_epc = regs->epc;
    b_a0 = regs->a0;
    b_ra = regs->ra;
    return 0;
}
static int h_ret(struct uprobe_consumer *c, unsigned long func, struct pt_regs *regs)
{
    int i = ret_hits++ & 3;
    ret_func[i] = func;
    ret_a0[i] = regs->a0;
    ret_epc[i] = regs->epc;
    ret_ra[i] = regs->ra;
    return 0;
}

static volatile long first_ret, last_ret;
static int h_ret_rec(struct uprobe_consumer *c, unsigned long func, struct pt_regs *regs)
{
    if (!ret_hits++)
        first_ret = regs->a0;
    last_ret = regs->a0;
    return 0;
}

static void reset(void)
{
    a_hits = b_hits = ret_hits = umode_ok = 0;
    a_epc = a_a0 = b_epc = b_a0 = b_ra = 0;
}

static u8 snap[32];
/* uprobe_register(addr) must fail with err and leave the text unchanged */
static int refused(void *addr, struct uprobe_consumer *uc, int err)
{
    u8 *t = (u8 *)((unsigned long)addr & ~1UL) - 8;
    for (int i = 0; i < 32; i++)
        snap[i] = t[i];
    int r = uprobe_register((unsigned long)addr, uc);
    if (r != err) {
        printk("uprobe_register(%pS) = %d, want %d\n", addr, r, err);
        return 0;
    }
    for (int i = 0; i < 32; i++)
        if (t[i] != snap[i])
            return 0;
    return 1;
}

int main(void)
{
    CHECK_EQ(1, run_user_task(u_alu, 5), 12);            /* unprobed */
    u16 orig_caddi = half(p_u_caddi);
    u32 orig_slli = word_at(p_u_slli);

    /* RVC and RVI: c.ebreak over the first parcel of both */
    struct uprobe_consumer ca = { .handler = h_a }, cb = { .handler = h_b };
    CHECK_EQ(2, uprobe_register((unsigned long)p_u_caddi, &ca), 0);
    CHECK_EQ(3, uprobe_register((unsigned long)p_u_slli, &cb), 0);
    CHECK_EQ(4, half(p_u_caddi), 0x9002);
    CHECK_EQ(5, half(p_u_slli), 0x9002);
    CHECK_EQ(6, half(p_u_slli + 2), orig_slli >> 16);    /* second parcel kept */
    reset();
    trap_count = 0;
    count_traps(1);
    long r = run_user_task(u_alu, 5);
    count_traps(0);
    CHECK_EQ(7, r, 12);
    CHECK_EQ(8, a_hits, 1);
    CHECK_EQ(9, b_hits, 1);
    CHECK_EQ(10, umode_ok, 1);
    CHECK_EQ(11, a_epc, (unsigned long)p_u_caddi);
    CHECK_EQ(12, a_a0, 5);
    CHECK_EQ(13, b_epc, (unsigned long)p_u_slli);        /* = vaddr + len of the c.addi */
    CHECK_EQ(14, b_a0, 6);                               /* the c.addi did run, once */
    /* bp, slot ebreak, bp, slot ebreak, ecall(exit) */
    CHECK_EQ(15, trap_count, 5);
    CHECK_EQ(16, trap_epcs[0], (unsigned long)p_u_caddi);
    CHECK_EQ(17, trap_epcs[2], (unsigned long)p_u_slli);
    CHECK(18, trap_causes[1] == EXC_BREAKPOINT && trap_causes[3] == EXC_BREAKPOINT);
    CHECK_EQ(19, trap_causes[4], EXC_SYSCALL_U);
    /* the slot's ebreak sits right after the copy, in the task's region, out of line */
    CHECK(20, in_user(trap_epcs[1]) && in_user(trap_epcs[3]));
    CHECK_EQ(21, trap_epcs[3] - trap_epcs[1], 4 - 2);
    CHECK(22, trap_epcs[1] != (unsigned long)p_u_caddi + 2);
    CHECK(23, !in_function(trap_epcs[1], "u_alu"));
    CHECK(28, TRAP_FROM_U(1) && TRAP_FROM_U(3));        /* the slot ran in U-mode */

    /* unregister: the exact bytes back, no more hits */
    uprobe_unregister((unsigned long)p_u_caddi, &ca);
    uprobe_unregister((unsigned long)p_u_slli, &cb);
    CHECK_EQ(24, half(p_u_caddi), orig_caddi);
    CHECK_EQ(25, word_at(p_u_slli), orig_slli);
    reset();
    CHECK_EQ(26, run_user_task(u_alu, 5), 12);
    CHECK_EQ(27, a_hits + b_hits, 0);

    /* a simulated branch: taken and not, one trap per hit (no slot) */
    u32 orig_beq = word_at(p_u_beq);
    CHECK_EQ(30, uprobe_register((unsigned long)p_u_beq, &ca), 0);
    reset();
    trap_count = 0;
    count_traps(1);
    long taken = run_user_task(u_beq_eq, 3);
    unsigned long traps_taken = trap_count;
    long not_taken = run_user_task(u_beq_ne, 3);
    count_traps(0);
    CHECK_EQ(31, taken, 1);
    CHECK_EQ(32, not_taken, 0);
    CHECK_EQ(33, a_hits, 2);
    CHECK_EQ(34, traps_taken, 2);                        /* bp + exit */
    CHECK_EQ(35, trap_count, 4);
    uprobe_unregister((unsigned long)p_u_beq, &ca);
    CHECK_EQ(36, word_at(p_u_beq), orig_beq);

    /* PMP: the task cannot read the kernel; a stepped load that faults is reported
     * at the probed load (epc back at vaddr), then a good retry steps fine */
    CHECK_EQ(40, run_user_task(u_load, (long)&kernel_word), -EFAULT);
    CHECK_EQ(41, run_user_task(u_load, (long)&u_word), 0x5a5a);
    CHECK_EQ(42, uprobe_register((unsigned long)p_u_lw, &ca), 0);
    reset();
    unsigned long trapped = uprobe_xol_trapped;
    printk("XOL-FAULT-BEGIN\n");
    CHECK_EQ(43, run_user_task(u_load, (long)&kernel_word), -EFAULT);
    printk("XOL-FAULT-END\n");
    CHECK_EQ(44, uprobe_xol_trapped, trapped + 1);
    CHECK_EQ(45, a_hits, 1);
    CHECK_EQ(46, run_user_task(u_load, (long)&u_word), 0x5a5a);
    CHECK_EQ(47, a_hits, 2);
    CHECK_EQ(48, uprobe_xol_trapped, trapped + 1);
    uprobe_unregister((unsigned long)p_u_lw, &ca);

    /* uretprobe at u_alu's entry, called twice from u_caller; a plain probe inside
     * u_alu sees ra pointing at the trampoline, the return side sees the real one */
    struct uprobe_consumer cr = { .handler = h_a, .ret_handler = h_ret };
    CHECK_EQ(50, uprobe_register((unsigned long)p_u_caddi, &cr), 0);
    CHECK_EQ(51, uprobe_register((unsigned long)p_u_slli, &cb), 0);
    reset();
    CHECK_EQ(52, run_user_task(u_caller, 5), 12 + 14);
    CHECK_EQ(53, a_hits, 2);
    CHECK_EQ(54, ret_hits, 2);
    CHECK(55, ret_func[0] == (unsigned long)p_u_caddi && ret_func[1] == (unsigned long)p_u_caddi);
    CHECK(56, ret_a0[0] == 12 && ret_a0[1] == 14);
    CHECK(57, in_function(ret_epc[0], "u_caller") && in_function(ret_epc[1], "u_caller"));
    CHECK(58, ret_ra[0] == ret_epc[0] && ret_ra[1] == ret_epc[1]);
    CHECK(59, in_user(b_ra) && !in_function(b_ra, "u_caller") && !in_function(b_ra, "u_alu"));
    /* a second consumer on the same address; the same one twice is refused */
    struct uprobe_consumer c2 = { .handler = h_b };
    CHECK_EQ(60, uprobe_register((unsigned long)p_u_caddi, &c2), 0);
    CHECK(61, refused(p_u_caddi, &cr, -EEXIST));
    reset();
    CHECK_EQ(62, run_user_task(u_caller, 5), 26);
    CHECK_EQ(63, a_hits, 2);
    CHECK_EQ(64, b_hits, 4);                             /* c2 at entry, cb at the slli */
    CHECK_EQ(65, ret_hits, 2);
    uprobe_unregister((unsigned long)p_u_caddi, &c2);
    uprobe_unregister((unsigned long)p_u_caddi, &cr);
    uprobe_unregister((unsigned long)p_u_slli, &cb);
    CHECK_EQ(66, half(p_u_caddi), orig_caddi);
    CHECK_EQ(67, word_at(p_u_slli), orig_slli);

    /* uretprobes on a recursion deeper than the 16 return instances: the outer 16
     * frames are hooked, the 4 innermost missed, the result is right */
    struct uprobe_consumer crr = { .handler = h_a, .ret_handler = h_ret_rec };
    CHECK_EQ(68, run_user_task(u_rec, 20), 210);
    CHECK_EQ(69, uprobe_register((unsigned long)u_rec, &crr), 0);
    reset();
    unsigned long missed = uretprobe_nmissed;
    CHECK_EQ(76, run_user_task(u_rec, 20), 210);
    CHECK_EQ(77, a_hits, 20);
    CHECK_EQ(78, ret_hits, 16);
    CHECK_EQ(79, uretprobe_nmissed - missed, 4);
    CHECK_EQ(80, first_ret, 5 * 6 / 2);                  /* innermost hooked frame: n = 5 */
    CHECK_EQ(81, last_ret, 210);
    reset();
    CHECK_EQ(82, run_user_task(u_rec, 3), 6);            /* instances all came back */
    CHECK_EQ(83, ret_hits, 3);
    uprobe_unregister((unsigned long)u_rec, &crr);

    /* too many: 16 uprobes, then -ENOMEM with the text unchanged */
    static unsigned long at[17];
    int n = 0, err = 0;
    for (unsigned long pc = (unsigned long)__user_start; n < 17 && pc < (unsigned long)u_rec; ) {
        u16 first = half((void *)pc);
        err = uprobe_register(pc, &ca);
        if (!err)
            at[n++] = pc;
        else if (err == -ENOMEM) {
            CHECK_EQ(84, half((void *)pc), first);
            break;
        }
        pc += (first & 3) == 3 ? 4 : 2;
    }
    CHECK_EQ(85, n, 16);
    CHECK_EQ(86, err, -ENOMEM);
    while (n--)
        uprobe_unregister(at[n], &ca);
    CHECK_EQ(87, run_user_task(u_alu, 5), 12);           /* all gone */

    /* bad input: errno, text unchanged */
    CHECK(70, refused(p_caddi, &ca, -EINVAL));           /* kernel text */
    CHECK(71, refused(p_u_slli + 1, &ca, -EILSEQ));      /* odd */
    CHECK(72, refused(p_u_slli + 2, &ca, -EILSEQ));      /* inside an RVI */
    CHECK(73, refused(p_u_caddi, NULL, -EINVAL));
    struct uprobe_consumer empty = { 0 };
    CHECK(74, refused(p_u_caddi, &empty, -EINVAL));     /* no handler at all */
    CHECK(75, refused(&u_word, &ca, -EINVAL));           /* user data, not code */
    printk("PASS\n");
    return 0;
}
