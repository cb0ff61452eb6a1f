/* Scenarios 10 and 11: kretprobes on a leaf (ra never spilled) and a non-leaf function;
 * return value seen and changeable, real return address restored, recursion with
 * enough instances (LIFO handler order) and too few (nmissed), entry_handler veto. */
#include "probetest.h"

static volatile long sink;

__probed long leaf(long x) { return x * 7 + 1; }
__probed long nonleaf(long x) { return leaf(x) + leaf(x + 1) + 1; }
/* rec(n) = n + (n-1) + ... + 1; the work after the call keeps it a real recursion */
__probed long rec(long n)
{
    if (n <= 1)
        return 1;
    long r = rec(n - 1);
    sink = r;
    barrier();
    return r + n;
}

/* unregisters the kretprobe on itself while its own instance is live */
static struct kretprobe *volatile self_rp;
__probed long unreg_self(long x)
{
    if (self_rp)
        unregister_kretprobe(self_rp);
    sink = x;
    barrier();
    return x + 1;
}

/* volatile: the handlers change them behind the compiler's back (it may otherwise
 * assume leaf() leaves them alone and fold the checks). */
static volatile long order[32], values[32];
static volatile int handled, entered;
static volatile unsigned long ret_addrs[32];

static int entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    entered++;
    *(long *)ri->data = regs->a0;        /* the argument, for the return side */
    return 0;
}
static int odd_veto(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    *(long *)ri->data = regs->a0;
    return regs->a0 & 1;                 /* no return hook for odd n */
}
static int ret_handler(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    order[handled & 31] = *(long *)ri->data;
    values[handled & 31] = regs_return_value(regs);
    ret_addrs[handled & 31] = ri->ret_addr;
    handled++;
    return 0;
}
static int plus_1000(struct kretprobe_instance *ri, struct pt_regs *regs)
{
    handled++;
    regs->a0 += 1000;                    /* the caller sees the changed return value */
    return 0;
}

static void reset(void) { handled = entered = 0; }

static int in_function(unsigned long addr, const char *name)
{
    const char *s = kallsyms_lookup(addr, NULL, NULL);
    return s && !strcmp(s, name);
}

int main(void)
{
    struct kretprobe rl = { .kp.symbol_name = "leaf", .handler = ret_handler,
                            .entry_handler = entry, .data_size = sizeof(long) };
    CHECK_EQ(1, register_kretprobe(&rl), 0);
    CHECK_EQ(2, rl.maxactive, 10);                    /* Linux's default */
    reset();
    CHECK_EQ(3, leaf(6), 43);
    CHECK_EQ(4, handled, 1);
    CHECK_EQ(5, order[0], 6);
    CHECK_EQ(6, values[0], 43);
    CHECK(7, in_function(ret_addrs[0], "main"));     /* the real caller */
    /* from a non-leaf caller: both calls seen, the caller's own return intact */
    reset();
    CHECK_EQ(8, nonleaf(2), 15 + 22 + 1);
    CHECK_EQ(9, handled, 2);
    CHECK(10, in_function(ret_addrs[0], "nonleaf") && in_function(ret_addrs[1], "nonleaf"));
    CHECK(11, order[0] == 2 && order[1] == 3);

    /* a kretprobe on the non-leaf too: LIFO, inner returns first */
    struct kretprobe rn = { .kp.symbol_name = "nonleaf", .handler = ret_handler,
                            .entry_handler = entry, .data_size = sizeof(long) };
    CHECK_EQ(12, register_kretprobe(&rn), 0);
    reset();
    CHECK_EQ(13, nonleaf(2), 38);
    CHECK_EQ(14, handled, 3);
    CHECK(15, values[0] == 15 && values[1] == 22 && values[2] == 38);
    printk("LIST-BEGIN\n");
    kprobes_list_print();
    printk("LIST-END\n");
    unregister_kretprobe(&rn);
    unregister_kretprobe(&rl);
    reset();
    CHECK_EQ(16, leaf(6), 43);
    CHECK_EQ(17, handled, 0);

    /* changing the return value in the handler */
    struct kretprobe rc = { .kp.symbol_name = "leaf", .handler = plus_1000 };
    CHECK_EQ(18, register_kretprobe(&rc), 0);
    CHECK_EQ(19, nonleaf(2), 15 + 22 + 1 + 2000);
    unregister_kretprobe(&rc);

    /* recursion, maxactive >= depth: every level, innermost first */
    struct kretprobe rr = { .kp.symbol_name = "rec", .handler = ret_handler,
                            .entry_handler = entry, .data_size = sizeof(long),
                            .maxactive = 12 };
    CHECK_EQ(20, register_kretprobe(&rr), 0);
    reset();
    CHECK_EQ(21, rec(12), 78);
    CHECK_EQ(22, handled, 12);
    CHECK_EQ(23, rr.nmissed, 0);
    for (int k = 1; k <= 12; k++) {
        CHECK_EQ(24, order[k - 1], k);
        CHECK_EQ(25, values[k - 1], k * (k + 1) / 2);
    }
    unregister_kretprobe(&rr);

    /* maxactive < depth: the outer 5 frames get instances, 7 are missed */
    struct kretprobe rs = { .kp.symbol_name = "rec", .handler = ret_handler,
                            .entry_handler = entry, .data_size = sizeof(long),
                            .maxactive = 5 };
    CHECK_EQ(30, register_kretprobe(&rs), 0);
    reset();
    CHECK_EQ(31, rec(12), 78);
    CHECK_EQ(32, rs.nmissed, 7);
    CHECK_EQ(33, handled, 5);
    for (int i = 0; i < 5; i++)
        CHECK_EQ(34, order[i], 8 + i);
    /* the instances came back: a second run behaves the same */
    reset();
    CHECK_EQ(35, rec(3), 6);
    CHECK_EQ(36, handled, 3);
    CHECK_EQ(37, rs.nmissed, 7);
    unregister_kretprobe(&rs);

    /* entry_handler veto: odd levels get no return hook and are not missed */
    struct kretprobe rv = { .kp.symbol_name = "rec", .handler = ret_handler,
                            .entry_handler = odd_veto, .data_size = sizeof(long) };
    CHECK_EQ(40, register_kretprobe(&rv), 0);
    reset();
    CHECK_EQ(41, rec(6), 21);
    CHECK_EQ(42, handled, 3);
    CHECK(43, order[0] == 2 && order[1] == 4 && order[2] == 6);
    CHECK_EQ(44, rv.nmissed, 0);
    unregister_kretprobe(&rv);

    /* unregistered while an instance is live: the return still reaches the real
     * caller, no handler runs for it, and the kretprobe can be registered again */
    struct kretprobe ru = { .kp.symbol_name = "unreg_self", .handler = ret_handler };
    CHECK_EQ(50, register_kretprobe(&ru), 0);
    reset();
    self_rp = &ru;
    CHECK_EQ(51, unreg_self(4), 5);
    CHECK_EQ(52, handled, 0);
    self_rp = NULL;
    CHECK_EQ(53, unreg_self(6), 7);
    CHECK_EQ(54, handled, 0);
    ru.kp.addr = NULL;                   /* as in Linux: symbol_name and addr both set is -EINVAL */
    CHECK_EQ(55, register_kretprobe(&ru), 0);
    CHECK_EQ(56, unreg_self(8), 9);
    CHECK_EQ(57, handled, 1);
    CHECK_EQ(58, values[0], 9);
    unregister_kretprobe(&ru);
    printk("PASS\n");
    return 0;
}
