#ifndef _LINUX_FTRACE_H
#define _LINUX_FTRACE_H
/* Function tracing with Linux's names (include/linux/ftrace.h). Declared here; the
 * implementation is the tracing runtime (sw/kernel/trace). */
#include <linux/types.h>
#include <asm/ptrace.h>

struct ftrace_ops;
struct ftrace_regs;
typedef void (*ftrace_func_t)(unsigned long ip, unsigned long parent_ip,
                              struct ftrace_ops *op, struct ftrace_regs *fregs);

#define FTRACE_OPS_FL_ENABLED (1 << 0)
#define FTRACE_OPS_FL_SAVE_REGS (1 << 2)
#define FTRACE_OPS_FL_RECURSION (1 << 4)
#define FTRACE_OPS_FL_IPMODIFY (1 << 10)

struct ftrace_ops {
    ftrace_func_t func;
    struct ftrace_ops *next;
    unsigned long flags;
    void *private;
    unsigned long filter_ip[8];  /* empty filter: every function */
    int nr_filter;
};

int register_ftrace_function(struct ftrace_ops *ops);
int unregister_ftrace_function(struct ftrace_ops *ops);
int ftrace_set_filter_ip(struct ftrace_ops *ops, unsigned long ip, int remove, int reset);
unsigned long ftrace_location(unsigned long ip);

struct ftrace_graph_ent { unsigned long func; int depth; };
struct ftrace_graph_ret { unsigned long func; unsigned long retval; int depth; };
struct fgraph_ops {
    int (*entryfunc)(struct ftrace_graph_ent *trace, struct fgraph_ops *gops);
    void (*retfunc)(struct ftrace_graph_ret *trace, struct fgraph_ops *gops);
};
int register_ftrace_graph(struct fgraph_ops *gops);
void unregister_ftrace_graph(struct fgraph_ops *gops);
#endif
