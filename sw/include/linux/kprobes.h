#ifndef _LINUX_KPROBES_H
#define _LINUX_KPROBES_H
/* Kprobes with Linux's names (include/linux/kprobes.h), reduced to one hart.
 * Declared here; the runtime that implements them is the tracing runtime (sw/kernel/
 * probes). A program that uses them in an image without it fails to link. */
#include <linux/types.h>
#include <asm/ptrace.h>

/* Code that must never be probed (trap path, kprobes itself, handlers): placed in
 * .kprobes.text; register_kprobe refuses any address inside it with -EINVAL. */
#define __kprobes __attribute__((section(".kprobes.text"), noinline, no_instrument_function, \
                                 patchable_function_entry(0, 0)))
/* NOKPROBE_SYMBOL(fn): fn may not be probed (its address goes to the _kprobe_blacklist
 * section, which register_kprobe consults, as Linux's). */
#define NOKPROBE_SYMBOL(fname) \
    static const unsigned long __attribute__((used, section("_kprobe_blacklist"))) \
        _kbl_addr_##fname = (unsigned long)fname

typedef u16 kprobe_opcode_t;     /* RVC parcel: instructions are 2-byte aligned */
struct kprobe;
typedef int (*kprobe_pre_handler_t)(struct kprobe *, struct pt_regs *);
typedef void (*kprobe_post_handler_t)(struct kprobe *, struct pt_regs *, unsigned long flags);

#define KPROBE_FLAG_GONE 1
#define KPROBE_FLAG_DISABLED 2
#define KPROBE_FLAG_OPTIMIZED 4
#define KPROBE_FLAG_FTRACE 8
#define KPROBE_FLAG_HWBP 0x100   /* spcore: use a Sdtrig trigger instead of ebreak */

struct arch_specific_insn {
    kprobe_opcode_t *insn;       /* XOL slot */
    unsigned long restore;       /* address to continue at after the step */
    int kind;                    /* how the instruction is handled (decoder class) */
    int len;                     /* probed instruction length in bytes */
    int hwbp;                    /* Sdtrig trigger index + 1 while armed on one, else 0 */
};

struct kprobe {
    struct kprobe *next;
    kprobe_opcode_t *addr;
    const char *symbol_name;
    unsigned int offset;
    kprobe_pre_handler_t pre_handler;
    kprobe_post_handler_t post_handler;
    kprobe_opcode_t opcode[3];   /* original bytes (up to a 48-bit instruction) */
    struct arch_specific_insn ainsn;
    u32 flags;
    unsigned long nmissed;
};

int register_kprobe(struct kprobe *p);
void unregister_kprobe(struct kprobe *p);
int register_kprobes(struct kprobe **kps, int num);
void unregister_kprobes(struct kprobe **kps, int num);
int disable_kprobe(struct kprobe *kp);
int enable_kprobe(struct kprobe *kp);
struct kprobe *kprobe_running(void);
/* Print the list of probes as /sys/kernel/debug/kprobes/list does. */
void kprobes_list_print(void);

struct kretprobe_instance;
typedef int (*kretprobe_handler_t)(struct kretprobe_instance *, struct pt_regs *);

struct kretprobe {
    struct kprobe kp;
    kretprobe_handler_t handler;
    kretprobe_handler_t entry_handler;
    int maxactive;
    int nmissed;
    size_t data_size;
    void *pool;                  /* runtime private: instances */
};

struct kretprobe_instance {
    struct kretprobe_instance *next;
    struct kretprobe *rp;        /* NULL once the kretprobe is unregistered (Linux) */
    void *pool;                  /* runtime private: where the instance goes back */
    unsigned long ret_addr;
    unsigned long fp;
    char data[];
};

int register_kretprobe(struct kretprobe *rp);
void unregister_kretprobe(struct kretprobe *rp);
int register_kretprobes(struct kretprobe **rps, int num);
void unregister_kretprobes(struct kretprobe **rps, int num);
static inline struct kretprobe *get_kretprobe(struct kretprobe_instance *ri) { return ri->rp; }
#endif
