/* ftrace core: the table of call sites, the ops list, live patching per scheme, the
 * function graph. sw/README.md ("ftrace") describes the schemes and their bytes. */
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/ftrace.h>
#include <asm/csr.h>
#include <asm/patch.h>
#include <asm/spcore.h>
#include "ftrace_internal.h"

#define NOP 0x00000013u
#define REG_RA 1
#define REG_SP 2
#define REG_T0 5
#define FTRACE_MAX_SITES 1024

struct dyn_ftrace {
    unsigned long ip;
    u8 enabled;
};

static struct dyn_ftrace sites[FTRACE_MAX_SITES];
static int nr_sites;
static int sites_ready;

static struct ftrace_ops *ftrace_ops_list;
unsigned long ftrace_recursion_missed;
unsigned long ftrace_graph_missed;
/* Read by the trampoline: fill every GPR into the frame. */
unsigned char ftrace_save_regs;

static void notrace ftrace_stub(unsigned long ip, unsigned long parent_ip,
                                struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)ip; (void)parent_ip; (void)op; (void)fregs;
}
static void ftrace_ops_list_func(unsigned long ip, unsigned long parent_ip,
                                 struct ftrace_ops *op, struct ftrace_regs *fregs);

static struct ftrace_ops ftrace_nop_ops = { .func = ftrace_stub };
static struct ftrace_ops ftrace_list_ops = { .func = ftrace_ops_list_func };
/* The ops the global trampoline calls: the only one (unless it asks for recursion
 * protection, FTRACE_OPS_FL_RECURSION), else the list walker; the nop ops while nothing
 * is registered. */
struct ftrace_ops *function_trace_op = &ftrace_nop_ops;

/* ---- instruction encoding ---- */
static inline u32 enc_auipc(unsigned rd, long hi) { return ((u32)hi << 12) | (rd << 7) | 0x17; }
static inline u32 enc_jalr(unsigned rd, unsigned rs1, long lo)
{
    return ((u32)(lo & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x67;
}
/* auipc+jalr pair from pc to target: hi for auipc, lo for jalr (lo is sign-extended). */
static inline void split_offset(unsigned long pc, unsigned long target, long *hi, long *lo)
{
    long off = (long)(target - pc);
    *hi = (off + 0x800) >> 12;
    *lo = off - (*hi << 12);
}
static inline u32 read_u32(unsigned long a)         /* 2-byte aligned text */
{
    return ((volatile u16 *)a)[0] | ((u32)((volatile u16 *)a)[1] << 16);
}
static inline void put_u32(u8 *buf, u32 v)
{
    for (int i = 0; i < 4; i++)
        buf[i] = (u8)(v >> (8 * i));
}

/* One naturally aligned store is seen whole by instruction fetch (Ziccif-like): the
 * atomic schemes patch with these and keep interrupts on. */
static void notrace patch_u32_atomic(unsigned long addr, u32 v)
{
    *(volatile u32 *)addr = v;
    flush_icache_all();
}

/* ---- the sites ---- */
extern char __start_mcount_loc[], __stop_mcount_loc[], __kprobes_text_end[];
void _mcount(void);

static void notrace add_site(unsigned long ip)
{
    if (nr_sites == FTRACE_MAX_SITES)
        panic("ftrace: more than %d call sites", FTRACE_MAX_SITES);
    int i = nr_sites++;
    while (i > 0 && sites[i - 1].ip > ip) {             /* keep the table sorted */
        sites[i] = sites[i - 1];
        i--;
    }
    sites[i].ip = ip;
    sites[i].enabled = 0;
}

#ifdef CONFIG_FTRACE_MCOUNT
/* -pg emits `auipc ra ; jalr ra` to _mcount after the prologue (the build passes
 * -mno-relax so it stays 8 bytes); find it in every function, as recordmcount does at
 * build time. */
static int notrace is_mcount_call(unsigned long pc)
{
    u32 a = read_u32(pc), j = read_u32(pc + 4);
    if ((a & 0xfff) != 0x097 || (j & 0xfffff) != 0x080e7)
        return 0;
    unsigned long target = pc + (long)(s32)(a & 0xfffff000u) + ((s32)j >> 20);
    return target == (unsigned long)_mcount;
}

static void notrace find_mcount_sites(void)
{
    unsigned long a = (unsigned long)__kprobes_text_end;
    unsigned long end = (unsigned long)__start_mcount_loc;
    while (a < end) {
        unsigned long size, off;
        if (!kallsyms_lookup(a, &size, &off) || !size) {
            a += 2;
            continue;
        }
        unsigned long f = a - off, fend = f + size;
        for (unsigned long pc = f; pc + 8 <= fend;) {
            u16 h = *(volatile u16 *)pc;
            int len = (h & 3) != 3 ? 2 : (h & 0x1c) != 0x1c ? 4 : (h & 0x3f) == 0x1f ? 6 : 0;
            if (!len)
                break;
            if (len == 4 && is_mcount_call(pc)) {
                add_site(pc);
                break;
            }
            pc += len;
        }
        a = fend;
    }
}
#endif

/* Bytes of a disabled site (also written at boot). */
static int notrace site_disabled_bytes(unsigned long ip, u8 *buf)
{
#if defined(CONFIG_FTRACE_MCOUNT) || defined(CONFIG_FTRACE_T0) || defined(CONFIG_FTRACE_RA_STACK)
    (void)ip;
    for (int i = 0; i < MCOUNT_INSN_SIZE; i += 4)
        put_u32(buf + i, NOP);
    return MCOUNT_INSN_SIZE;
#else
    (void)ip; (void)buf;
    return 0;
#endif
}

/* Bytes of an enabled site (mcount, ra-stack, t0: the whole site is written). */
static int notrace site_enabled_bytes(unsigned long ip, u8 *buf)
{
    long hi, lo;
    unsigned long target = (unsigned long)ftrace_caller;
#if defined(CONFIG_FTRACE_MCOUNT)
    split_offset(ip, target, &hi, &lo);
    put_u32(buf, enc_auipc(REG_RA, hi));
    put_u32(buf + 4, enc_jalr(REG_RA, REG_RA, lo));
    return 8;
#elif defined(CONFIG_FTRACE_RA_STACK)
#if __riscv_xlen == 64
    u32 save = 0xfe113c23u, load = 0xff813083u;   /* sd ra,-8(sp) ; ld ra,-8(sp) */
#else
    u32 save = 0xfe112e23u, load = 0xffc12083u;   /* sw ra,-4(sp) ; lw ra,-4(sp) */
#endif
    split_offset(ip + 4, target, &hi, &lo);
    put_u32(buf, save);
    put_u32(buf + 4, enc_auipc(REG_RA, hi));
    put_u32(buf + 8, enc_jalr(REG_RA, REG_RA, lo));
    put_u32(buf + 12, load);
    return 16;
#elif defined(CONFIG_FTRACE_T0)
    split_offset(ip, target, &hi, &lo);
    put_u32(buf, enc_auipc(REG_T0, hi));
    put_u32(buf + 4, enc_jalr(REG_T0, REG_T0, lo));
    return 8;
#else
    (void)ip; (void)buf; (void)hi; (void)lo; (void)target;
    return 0;
#endif
}

#ifdef CONFIG_FTRACE_CALL_OPS
static void notrace set_ops_literal(unsigned long ip, struct ftrace_ops *op)
{
    /* 8-byte literal at ip-8, naturally aligned: one store on RV64, the low word (the
     * high word stays 0) on RV32. */
    *(volatile unsigned long *)(ip - 8) = (unsigned long)op;
}
static struct ftrace_ops *notrace get_ops_literal(unsigned long ip)
{
    return *(struct ftrace_ops *volatile *)(ip - 8);
}
static u32 notrace call_ops_jalr(unsigned long ip)
{
    long hi, lo;
    split_offset(ip, (unsigned long)ftrace_caller, &hi, &lo);
    return enc_jalr(REG_T0, REG_T0, lo);
}
#endif

static void notrace prepare_site(unsigned long ip)
{
#if defined(CONFIG_FTRACE_CALL_OPS)
    long hi, lo;
    split_offset(ip, (unsigned long)ftrace_caller, &hi, &lo);
    ((volatile u32 *)(ip - 8))[1] = 0;            /* the high word (RV32 never changes it) */
    set_ops_literal(ip, &ftrace_nop_ops);
    u8 buf[8];
    put_u32(buf, enc_auipc(REG_T0, hi));          /* written once, never again */
    put_u32(buf + 4, NOP);
    patch_text_nosync((void *)ip, buf, 8);
#elif defined(CONFIG_FTRACE_JALL)
    /* c.jall t0 to the next instruction: kept forever, only its literal changes. */
    u16 buf[3] = { c_jall_opcode(REG_T0, 0), (u16)(ip + 6), (u16)((ip + 6) >> 16) };
    patch_text_nosync((void *)ip, buf, 6);
#else
    u8 buf[16];
    int n = site_disabled_bytes(ip, buf);
    patch_text_nosync((void *)ip, buf, n);
#endif
}

void notrace ftrace_init_sites(void)
{
    if (sites_ready)
        return;
    sites_ready = 1;
#if defined(CONFIG_FTRACE_MCOUNT)
    find_mcount_sites();
#elif defined(CONFIG_FTRACE)
    /* __patchable_function_entries names the first nop of each area. */
    for (unsigned long *e = (unsigned long *)__start_mcount_loc;
         e < (unsigned long *)__stop_mcount_loc; e++) {
#if defined(CONFIG_FTRACE_CALL_OPS)
        add_site(*e + 8);
#elif defined(CONFIG_FTRACE_JALL)
        add_site(*e + 2);
#else
        add_site(*e);
#endif
    }
#endif
    unsigned long flags = local_irq_save();
    for (int i = 0; i < nr_sites; i++)
        prepare_site(sites[i].ip);
    local_irq_restore(flags);
}

static int notrace ftrace_boot_init(void)
{
    ftrace_init_sites();
    return 0;
}
module_init(ftrace_boot_init);

static struct dyn_ftrace *notrace find_site(unsigned long addr)
{
    int lo = 0, hi = nr_sites;
    while (lo < hi) {                                   /* last site with ip <= addr */
        int mid = (lo + hi) / 2;
        if (sites[mid].ip <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (!lo || addr >= sites[lo - 1].ip + MCOUNT_INSN_SIZE)
        return NULL;
    return &sites[lo - 1];
}

unsigned long notrace ftrace_site_containing(unsigned long addr)
{
    ftrace_init_sites();
    struct dyn_ftrace *s = find_site(addr);
    return s ? s->ip : 0;
}

unsigned long notrace ftrace_location(unsigned long ip)
{
    unsigned long site = ftrace_site_containing(ip), size, off;
    if (site)
        return site;
    /* The start of a function whose site lies further in (mcount: after the prologue). */
    if (!kallsyms_lookup(ip, &size, &off) || off)
        return 0;
    for (int i = 0; i < nr_sites; i++)
        if (sites[i].ip >= ip && sites[i].ip < ip + size)
            return sites[i].ip;
    return 0;
}

int notrace ftrace_nr_sites(void)
{
    ftrace_init_sites();
    return nr_sites;
}

unsigned long notrace ftrace_site_ip(int i)
{
    ftrace_init_sites();
    return i >= 0 && i < nr_sites ? sites[i].ip : 0;
}

int notrace ftrace_site_enabled(unsigned long ip)
{
    struct dyn_ftrace *s = find_site(ip);
    return s && s->ip == ip && s->enabled;
}

/* ---- patching ----
 * The site's bytes and its `enabled` flag change together with interrupts off, so an
 * interrupt handler asking ftrace_site_enabled() sees what a call would do. */
static void notrace site_set(struct dyn_ftrace *s, int enable)
{
    unsigned long flags = local_irq_save();
#if defined(CONFIG_FTRACE_CALL_OPS)
    patch_u32_atomic(s->ip + 4, enable ? call_ops_jalr(s->ip) : NOP);
#elif defined(CONFIG_FTRACE_JALL)
    unsigned long target = enable ? (unsigned long)ftrace_caller : s->ip + 6;
    patch_u32_atomic(s->ip + 2, (u32)target);
#else
    /* Several instructions: patch_text (interrupts off while they are written). */
    u8 buf[16];
    int n = enable ? site_enabled_bytes(s->ip, buf) : site_disabled_bytes(s->ip, buf);
    patch_text((void *)s->ip, buf, n);
#endif
    s->enabled = enable;
    local_irq_restore(flags);
}

static int notrace ops_traces(struct ftrace_ops *op, unsigned long ip)
{
    if (!op->nr_filter)
        return 1;
    for (int i = 0; i < op->nr_filter; i++)
        if (op->filter_ip[i] == ip)
            return 1;
    return 0;
}

/* Bring every site and the trampoline's target in line with the registered ops.
 * function_trace_op changes before the sites when ops are added (a newly enabled site
 * must find the new ops) and after them when one is removed (a site still enabled for
 * the removed ops must not call the one that stays, which may filter differently; the
 * removed ops may see calls until unregister returns, as in Linux). */
static void notrace ftrace_update(int removing)
{
    struct ftrace_ops *only = ftrace_ops_list && !ftrace_ops_list->next ? ftrace_ops_list : NULL;
    struct ftrace_ops *global;
    unsigned char save = 0;
    for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next)
        save |= !!(op->flags & FTRACE_OPS_FL_SAVE_REGS);
    if (!ftrace_ops_list)
        global = &ftrace_nop_ops;
    else if (only && !(only->flags & FTRACE_OPS_FL_RECURSION))
        global = only;
    else
        global = &ftrace_list_ops;
    if (!removing || global == &ftrace_list_ops) {
        ftrace_save_regs |= save;
        WRITE_ONCE(function_trace_op, global);
    }
    for (int i = 0; i < nr_sites; i++) {
        struct dyn_ftrace *s = &sites[i];
        struct ftrace_ops *owner = NULL;
        int users = 0;
        for (struct ftrace_ops *op = ftrace_ops_list; op; op = op->next)
            if (ops_traces(op, s->ip)) {
                users++;
                owner = op;
            }
#ifdef CONFIG_FTRACE_CALL_OPS
        /* The literal first, then the jalr: an enabled site always finds a valid ops. */
        struct ftrace_ops *lit = !users ? get_ops_literal(s->ip)
            : users == 1 && !(owner->flags & FTRACE_OPS_FL_RECURSION) ? owner : &ftrace_list_ops;
        if (get_ops_literal(s->ip) != lit)
            set_ops_literal(s->ip, lit);
#else
        (void)owner;
#endif
        if (!!users != s->enabled)
            site_set(s, !!users);
    }
    WRITE_ONCE(function_trace_op, global);
    ftrace_save_regs = save;
}

int notrace register_ftrace_function(struct ftrace_ops *ops)
{
    if (!ops || !ops->func)
        return -EINVAL;
    if (ops->flags & FTRACE_OPS_FL_ENABLED)
        return -EBUSY;
#ifndef CONFIG_FTRACE
    return -ENODEV;
#endif
    ftrace_init_sites();
    unsigned long flags = local_irq_save();
    ops->next = ftrace_ops_list;
    ftrace_ops_list = ops;
    ops->flags |= FTRACE_OPS_FL_ENABLED;
    local_irq_restore(flags);
    ftrace_update(0);
    return 0;
}

int notrace unregister_ftrace_function(struct ftrace_ops *ops)
{
    if (!ops || !(ops->flags & FTRACE_OPS_FL_ENABLED))
        return -EINVAL;
    unsigned long flags = local_irq_save();
    for (struct ftrace_ops **p = &ftrace_ops_list; *p; p = &(*p)->next)
        if (*p == ops) {
            *p = ops->next;
            break;
        }
    ops->flags &= ~FTRACE_OPS_FL_ENABLED;
    local_irq_restore(flags);
    ftrace_update(1);
    return 0;
}

/* Add a site to ops' filter, or remove it; the sites are not patched here. 0, -EINVAL
 * (removing a site that is not in it), -ENOSPC. */
static int notrace filter_edit(struct ftrace_ops *ops, unsigned long site, int remove)
{
    int i = 0;
    while (i < ops->nr_filter && ops->filter_ip[i] != site)
        i++;
    if (remove) {
        if (i == ops->nr_filter)
            return -EINVAL;
        ops->filter_ip[i] = ops->filter_ip[--ops->nr_filter];
    } else if (i == ops->nr_filter) {
        if (ops->nr_filter == (int)ARRAY_SIZE(ops->filter_ip))
            return -ENOSPC;
        ops->filter_ip[ops->nr_filter++] = site;
    }
    return 0;
}

int notrace ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, int remove, int reset)
{
    if (!ops)
        return -EINVAL;
    unsigned long site = ip ? ftrace_location(ip) : 0;
    if (ip && !site)
        return -EINVAL;
    if (reset)
        ops->nr_filter = 0;
    if (site) {
        int err = filter_edit(ops, site, remove);
        if (err)
            return err;
    }
    if (ops->flags & FTRACE_OPS_FL_ENABLED)
        ftrace_update(remove || reset);
    return 0;
}

/* ---- filter by name ---- */
/* '*' any run, '?' one character, anything else itself; p has n characters. */
static int notrace glob_match(const char *p, int n, const char *s)
{
    if (!n)
        return !*s;
    if (*p == '*')
        return glob_match(p + 1, n - 1, s) || (*s && glob_match(p, n, s + 1));
    return *s && (*p == '?' || *p == *s) && glob_match(p + 1, n - 1, s + 1);
}

static const char *notrace site_function(unsigned long ip)
{
    unsigned long size, offset;
    return kallsyms_lookup(ip, &size, &offset);
}

int notrace ftrace_set_filter(struct ftrace_ops *ops, unsigned char *buf, int len, int reset)
{
    if (!ops || !buf || len < 0)
        return -EINVAL;
    const char *pat = (const char *)buf;
    while (len && pat[len - 1] == '\0')
        len--;
    int remove = len && pat[0] == '!';
    pat += remove;
    len -= remove;
    int matched = 0;
    for (int i = 0; i < nr_sites; i++) {
        const char *name = site_function(sites[i].ip);
        matched += name && glob_match(pat, len, name);
    }
    if (!matched)
        return -EINVAL;
    if (reset)
        ops->nr_filter = 0;
    int err = 0;
    for (int i = 0; i < nr_sites && !err; i++) {
        const char *name = site_function(sites[i].ip);
        if (name && glob_match(pat, len, name))
            err = filter_edit(ops, sites[i].ip, remove);
        if (remove && err == -EINVAL)                /* removing what was not there: fine */
            err = 0;
    }
    if (ops->flags & FTRACE_OPS_FL_ENABLED)          /* the sites patched once, at the end */
        ftrace_update(remove || reset);
    return err;
}

/* More than one ops, or one that asks for recursion protection: walk the list, and drop
 * calls made from inside a callback (counted). ftrace_recursion_held is the separate lock
 * of ftrace_test_recursion_trylock (as Linux's list function and trylock use separate
 * recursion bits). */
int ftrace_recursion_held;
static int list_busy;
static void notrace ftrace_ops_list_func(unsigned long ip, unsigned long parent_ip,
                                         struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)op;
    if (list_busy) {
        ftrace_recursion_missed++;
        return;
    }
    list_busy = 1;
    for (struct ftrace_ops *o = ftrace_ops_list; o; o = o->next)
        if (ops_traces(o, ip))
            o->func(ip, parent_ip, o, fregs);
    list_busy = 0;
}

/* ---- function graph ---- */
struct ret_stack_entry {
    unsigned long ret, func;
    unsigned long long calltime;
    unsigned int overrun;
};
static struct ret_stack_entry ret_stack[FTRACE_RETFUNC_DEPTH];
static int ret_depth;
static struct fgraph_ops *graph_user;
static int graph_busy;

/* The 64-bit mcycle (RV32: high half read twice so a carry between the reads is seen). */
static inline unsigned long long notrace graph_clock(void)
{
#if __riscv_xlen == 32
    u32 hi, lo, hi2;
    do {
        __asm__ volatile("csrr %0, mcycleh\n csrr %1, mcycle\n csrr %2, mcycleh"
                         : "=r"(hi), "=r"(lo), "=r"(hi2));
    } while (hi != hi2);
    return ((unsigned long long)hi << 32) | lo;
#else
    unsigned long c;
    __asm__ volatile("csrr %0, mcycle" : "=r"(c));
    return c;
#endif
}

/* Hook the return: replace the saved parent ra (the trampoline writes regs->ra back
 * where the function will reload it) by return_to_handler. */
static void notrace ftrace_graph_func(unsigned long ip, unsigned long parent_ip,
                                      struct ftrace_ops *op, struct ftrace_regs *fregs)
{
    (void)op; (void)parent_ip;
    unsigned long long now = graph_clock();
    struct fgraph_ops *g = READ_ONCE(graph_user);
    if (!g || graph_busy)
        return;
    graph_busy = 1;
    struct ftrace_graph_ent ent = { .func = ip, .depth = ret_depth };
    if (!g->entryfunc || g->entryfunc(&ent, g)) {
        /* An interrupt may hook (and unhook) calls of its own in between: it always
         * leaves ret_depth as it found it, so the slot is taken with interrupts off. */
        unsigned long flags = local_irq_save();
        if (ret_depth == FTRACE_RETFUNC_DEPTH) {
            ftrace_graph_missed++;
        } else {
            struct ret_stack_entry *e = &ret_stack[ret_depth++];
            e->ret = fregs->regs.ra;    /* not parent_ip: an ops before us (a kretprobe
                                           on ftrace) may have hooked the return too */
            e->func = ip;
            e->calltime = now;
            e->overrun = (unsigned int)ftrace_graph_missed;
            fregs->regs.ra = (unsigned long)return_to_handler;
        }
        local_irq_restore(flags);
    }
    graph_busy = 0;
}

unsigned long notrace ftrace_return_to_handler(unsigned long retval)
{
    unsigned long long now = graph_clock();
    unsigned long flags = local_irq_save();
    if (ret_depth == 0)
        panic("ftrace: return_to_handler with an empty return stack");
    struct ret_stack_entry e = ret_stack[--ret_depth];
    int depth = ret_depth;
    local_irq_restore(flags);
    struct fgraph_ops *g = READ_ONCE(graph_user);
    if (g && g->retfunc && !graph_busy) {
        graph_busy = 1;
        struct ftrace_graph_ret r = {
            .func = e.func, .retval = retval, .depth = depth, .overrun = e.overrun,
            .calltime = e.calltime, .rettime = now,
        };
        g->retfunc(&r, g);
        graph_busy = 0;
    }
    return e.ret;
}

static struct ftrace_ops graph_ops = {
    .func = ftrace_graph_func,          /* guards itself (graph_busy): called directly */
};

int notrace register_ftrace_graph(struct fgraph_ops *gops)
{
    if (!gops)
        return -EINVAL;
    if (graph_user)
        return -EBUSY;
    graph_user = gops;
    int ret = register_ftrace_function(&graph_ops);
    if (ret)
        graph_user = NULL;
    return ret;
}

void notrace unregister_ftrace_graph(struct fgraph_ops *gops)
{
    if (!gops || gops != graph_user)
        return;
    unregister_ftrace_function(&graph_ops);
    graph_user = NULL;       /* calls still hooked return through the stack, unreported */
}
