#ifndef _LINUX_FTRACE_H
#define _LINUX_FTRACE_H
/* Function tracing with Linux's names (include/linux/ftrace.h), one hart.
 * Implementation: sw/kernel/trace/ (ftrace.c, ftrace_caller.S); sw/README.md ("ftrace")
 * explains the five call-site schemes. The scheme is a build option (`spcore build
 * --ftrace SCHEME` defines CONFIG_FTRACE_<SCHEME>); the user's functions are
 * instrumented, the runtime never is. */
#include <linux/types.h>
#include <asm/ptrace.h>

struct ftrace_ops;
/* The registers at the call site. Only epc (where the traced function's body resumes),
 * ra (the parent's return address), sp, s0, t0 and a0-a7 are filled in unless a
 * registered ops has FTRACE_OPS_FL_SAVE_REGS: then every GPR is (ftrace_get_regs()).
 * Handlers may change a0-a7 and epc (FTRACE_OPS_FL_IPMODIFY) and, with SAVE_REGS,
 * s1-s11 too. */
struct ftrace_regs {
    struct pt_regs regs;
};
typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
                              struct ftrace_ops *op, struct ftrace_regs *fregs);

/* Flag bits as in Linux. */
#define FTRACE_OPS_FL_ENABLED (1 << 0)
#define FTRACE_OPS_FL_SAVE_REGS (1 << 2)
/* Linux's meaning since 5.11: set = "ftrace, protect my callback against recursion"; it
 * is then called through the recursion-protected list walker, which drops (and counts in
 * ftrace_recursion_missed) a call made from inside a callback. Without it the callback
 * handles recursion itself and an ops that is alone on the global trampoline, or alone
 * on a call-ops site, is called directly, as Linux's ftrace_ops_get_func() == ops->func. */
#define FTRACE_OPS_FL_RECURSION (1 << 4)
#define FTRACE_OPS_FL_IPMODIFY (1 << 12)

/* Recursion protection for a callback without FTRACE_OPS_FL_RECURSION (Linux's
 * <linux/trace_recursion.h>): bit >= 0 when entered, -1 when this is a recursive call
 * (one hart, no context bits: a callback interrupted by a traced interrupt handler sees
 * -1 there too, as the list walker drops such calls). */
extern int ftrace_recursion_held;
static inline int ftrace_test_recursion_trylock(unsigned long ip, unsigned long parent_ip)
{
    (void)ip; (void)parent_ip;
    if (ftrace_recursion_held)
        return -1;
    ftrace_recursion_held = 1;
    return 0;
}
static inline void ftrace_test_recursion_unlock(int bit)
{
    if (bit >= 0)
        ftrace_recursion_held = 0;
}

struct ftrace_ops {
    ftrace_func_t func;          /* first member: the call-ops trampoline loads it at +0 */
    struct ftrace_ops *next;
    unsigned long flags;
    void *private;
    unsigned long filter_ip[16]; /* empty filter: every traced function */
    int nr_filter;
};

/* 0, -EBUSY (already registered), -EINVAL (no func). Sites are patched at once. */
int register_ftrace_function(struct ftrace_ops *ops);
int unregister_ftrace_function(struct ftrace_ops *ops);
/* Add (remove=0) or remove an ip to/from ops' filter; reset=1 empties it first. ip may be
 * a site or the start of a function that has one. -EINVAL: not traceable; -ENOSPC. */
int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, int remove, int reset);
/* Linux's filter by name: buf (len bytes, no NUL needed) is a glob over the traced
 * functions' names ("do_work", "tick_*", "*_work", "*ick*", "t*k"; '?' one character);
 * a leading '!' removes the matches. -EINVAL and the filter unchanged when nothing
 * matches; reset=1 empties the filter first. */
int ftrace_set_filter(struct ftrace_ops *ops, unsigned char *buf, int len, int reset);
/* The site containing ip, or the site of the function starting at ip; 0 if none. */
unsigned long ftrace_location(unsigned long ip);

static inline struct pt_regs *ftrace_get_regs(struct ftrace_regs *fregs)
{
    return &fregs->regs;
}
static inline unsigned long ftrace_regs_get_argument(struct ftrace_regs *fregs, unsigned n)
{
    return regs_get_kernel_argument(&fregs->regs, n);
}
static inline unsigned long ftrace_regs_get_instruction_pointer(struct ftrace_regs *fregs)
{
    return fregs->regs.epc;
}
static inline void ftrace_regs_set_instruction_pointer(struct ftrace_regs *fregs,
                                                       unsigned long ip)
{
    fregs->regs.epc = ip;
}
static inline unsigned long ftrace_regs_get_stack_pointer(struct ftrace_regs *fregs)
{
    return fregs->regs.sp;
}
static inline unsigned long ftrace_regs_get_return_value(struct ftrace_regs *fregs)
{
    return fregs->regs.a0;
}
static inline void ftrace_regs_set_return_value(struct ftrace_regs *fregs, unsigned long ret)
{
    fregs->regs.a0 = ret;
}
/* With FTRACE_OPS_FL_IPMODIFY: return at once to the caller (Linux's
 * ftrace_override_function_with_return), the function's body does not run. Not with
 * the mcount scheme: its site is inside the prologue, after the frame was made. */
static inline void ftrace_override_function_with_return(struct ftrace_regs *fregs)
{
    fregs->regs.epc = fregs->regs.ra;
}

/* Function graph (kernel/trace/fgraph.c): entryfunc at entry (return 0 to not hook this
 * call's return), retfunc when it returns, as Linux's return_to_handler does it: the
 * entry hook replaces the saved return address by return_to_handler and keeps the real
 * one on a shadow return stack of FTRACE_RETFUNC_DEPTH entries. Recursion and nesting
 * work (calls from a timer interrupt too); deeper calls are not hooked and counted in
 * ftrace_graph_missed (Linux's overrun). One fgraph_ops at a time (-EBUSY otherwise).
 * depth: 0 for the outermost hooked call. calltime/rettime: mcycle at entry (before
 * entryfunc) and at return (before retfunc); retval: a0 as the function returned it
 * (a0/a1 reach the caller unchanged). Callbacks run with the graph hook off: a traced
 * function they call is neither reported nor hooked. */
struct ftrace_graph_ent {
    unsigned long func;          /* the site's ip, as ftrace_ops callbacks see it */
    int depth;
};
struct ftrace_graph_ret {
    unsigned long func;
    unsigned long retval;
    int depth;
    unsigned int overrun;        /* ftrace_graph_missed when the call was hooked */
    unsigned long long calltime, rettime;
};
struct fgraph_ops;
typedef int (*trace_func_graph_ent_t)(struct ftrace_graph_ent *, struct fgraph_ops *);
typedef void (*trace_func_graph_ret_t)(struct ftrace_graph_ret *, struct fgraph_ops *);
struct fgraph_ops {
    trace_func_graph_ent_t entryfunc;
    trace_func_graph_ret_t retfunc;
    void *private;
};
#define FTRACE_RETFUNC_DEPTH 64
/* 0, -EINVAL (no gops), -EBUSY (one is registered), -ENODEV (no --ftrace scheme). */
int register_ftrace_graph(struct fgraph_ops *gops);
/* Calls hooked before this still return through return_to_handler, unreported. */
void unregister_ftrace_graph(struct fgraph_ops *gops);
extern unsigned long ftrace_graph_missed;

/* ---- the call site of this build's scheme ----
 * MCOUNT_INSN_SIZE: bytes of the site from its ip (a kprobe on ftrace reports
 * epc = ip + MCOUNT_INSN_SIZE to its post_handler, as Linux does).
 * FTRACE_PATCH_BYTES: bytes one enable or disable of a site writes. */
#if defined(CONFIG_FTRACE_MCOUNT)
#define FTRACE_SCHEME "mcount"
#define MCOUNT_INSN_SIZE 8          /* auipc ra + jalr ra inside the prologue */
#define FTRACE_PATCH_BYTES 8
#elif defined(CONFIG_FTRACE_RA_STACK)
#define FTRACE_SCHEME "ra-stack"
#define MCOUNT_INSN_SIZE 16         /* REG_S ra ; auipc ra ; jalr ra ; REG_L ra */
#define FTRACE_PATCH_BYTES 16
#elif defined(CONFIG_FTRACE_T0)
#define FTRACE_SCHEME "t0"
#define MCOUNT_INSN_SIZE 8          /* auipc t0 ; jalr t0 */
#define FTRACE_PATCH_BYTES 8
#elif defined(CONFIG_FTRACE_CALL_OPS)
#define FTRACE_SCHEME "call-ops"
#define MCOUNT_INSN_SIZE 8          /* auipc t0 (written once) ; jalr t0 <-> nop */
#define FTRACE_PATCH_BYTES 4        /* plus the 8-byte ops literal when its owner changes */
#elif defined(CONFIG_FTRACE_JALL)
#define FTRACE_SCHEME "jall"
#define MCOUNT_INSN_SIZE 6          /* c.jall t0, target */
#define FTRACE_PATCH_BYTES 4        /* the aligned literal: ftrace_caller <-> f+6 */
#else
#define FTRACE_SCHEME "none"
#define MCOUNT_INSN_SIZE 0
#define FTRACE_PATCH_BYTES 0
#endif

/* Introspection for tests and the demo. */
int ftrace_nr_sites(void);
unsigned long ftrace_site_ip(int i);
int ftrace_site_enabled(unsigned long ip);
extern unsigned long ftrace_recursion_missed;
/* Where sites jump when enabled (the trampoline of this scheme). */
void ftrace_caller(void);
void return_to_handler(void);
#endif
