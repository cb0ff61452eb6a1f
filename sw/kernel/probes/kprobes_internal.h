#ifndef _KPROBES_INTERNAL_H
#define _KPROBES_INTERNAL_H
/* The kprobes core's internal interface: what the rest of the tracing runtime (ftrace,
 * kprobe-on-ftrace, optprobes in sw/kernel/trace and sw/kernel/probes/opt*.c) may call,
 * and the weak hooks it may implement. One hart, so "per-CPU" state is plain globals. */
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <asm/ptrace.h>

/* __kprobes and NOKPROBE_SYMBOL: <linux/kprobes.h> */

/* ---- kprobe state machine (include/linux/kprobes.h values) ---- */
#define KPROBE_HIT_ACTIVE 0x1
#define KPROBE_HIT_SS 0x2
#define KPROBE_REENTER 0x4
#define KPROBE_HIT_SSDONE 0x8

struct prev_kprobe {
    struct kprobe *kp;
    unsigned long status;
};
struct kprobe_ctlblk {
    unsigned long kprobe_status;
    unsigned long saved_status;      /* mstatus before an XOL step (MPIE cleared for it) */
    struct prev_kprobe prev_kprobe;
};
struct kprobe_ctlblk *get_kprobe_ctlblk(void);
/* kprobe_running() is in linux/kprobes.h. */
/* current kprobe and kprobe_status together, with interrupts off: a probe hit by an
 * interrupt handler in between would otherwise see the new kprobe with a stale status
 * (HIT_SS from an earlier boosted hit) and take the "cannot recover" path. */
void kprobe_set_running_status(struct kprobe *p, unsigned long status);
void kprobe_reset_running(void);
/* The registered kprobe at addr (armed or not), or NULL. */
struct kprobe *get_kprobe(void *addr);
/* The first registered kprobe; the rest follow through ->next. */
struct kprobe *kprobe_first(void);

/* ---- instruction decoder (decode-insn.c), as Linux's riscv_probe_decode_insn ---- */
enum probe_insn {
    INSN_REJECTED,       /* never probed: -EINVAL */
    INSN_GOOD_NO_SLOT,   /* simulated on pt_regs, no XOL slot */
    INSN_GOOD,           /* single-stepped out of line in an XOL slot */
};
#define INSN_SIMULATE INSN_GOOD_NO_SLOT
#define INSN_XOL INSN_GOOD

/* What a simulated instruction is (arch_specific_insn.kind). */
enum probe_sim {
    SIM_NONE, SIM_AUIPC, SIM_JAL, SIM_JALR, SIM_BRANCH, SIM_C_J, SIM_C_JAL, SIM_C_JR,
    SIM_C_JALR, SIM_C_BEQZ, SIM_C_BNEZ, SIM_C_JALL, SIM_LRW2SPC,
};

/* Length in bytes of the instruction whose first parcel is `parcel` (2, 4, 6), or 0 for
 * a length this core has no instructions of. */
static inline int riscv_insn_length(u16 parcel)
{
    if ((parcel & 3) != 3)
        return 2;
    if ((parcel & 0x1c) != 0x1c)
        return 4;
    if ((parcel & 0x3f) == 0x1f)
        return 6;
    return 0;
}

/* Decode the instruction whose parcels are at insn (as many as its length; a copy or the
 * text itself). Fills api->kind (an enum probe_sim) and api->len. addr is where the
 * instruction lives (for checks on pc-relative targets). */
enum probe_insn riscv_probe_decode_insn(const kprobe_opcode_t *insn, unsigned long addr,
                                        struct arch_specific_insn *api);

/* Execute a SIMULATE-class instruction that lives at addr on regs: sets regs->epc to the
 * next pc and writes rd. Returns 0, or -EINVAL if it cannot be simulated. A simulated
 * lrw2spc arms Xspc in regs->spc/spctrig, which the trap return puts back in place. */
int riscv_probe_simulate(const struct arch_specific_insn *api, const kprobe_opcode_t *insn,
                         unsigned long addr, struct pt_regs *regs);

/* Is addr an instruction boundary, walking from the start of its function (kallsyms)?
 * 0 yes; -EILSEQ no (or odd); -EINVAL not inside a known function. */
int kprobe_insn_boundary(unsigned long addr);
u16 kprobe_original_parcel(unsigned long addr);
int arch_optimized_parcel(unsigned long addr, u16 *parcel);   /* 1: inside a region */

/* ---- XOL slots (slots.c) ---- */
/* A kernel slot is KPROBE_SLOT_SIZE bytes, 8-aligned:
 *   +0           insn ; ebreak                  (ordinary step: second trap)
 *   +12-len      insn ; lrw2spc ; literal @ +16 (boosted, Xspc: no second trap)
 * The literal (addr+len, XLEN bits) is naturally aligned at +16. */
#define KPROBE_SLOT_SIZE 24
#define KPROBE_SLOT_BOOST_END 12       /* lrw2spc sits at +12, its literal at +16 */
#define KPROBE_NR_SLOTS 64
kprobe_opcode_t *get_insn_slot(void);
void free_insn_slot(kprobe_opcode_t *slot);
/* Slot owning pc (any byte of it), or NULL. */
kprobe_opcode_t *insn_slot_of(unsigned long pc);
/* Fill a slot for the instruction in api (len bytes at insn) restored to resume. */
void arch_prepare_ss_slot(kprobe_opcode_t *slot, const kprobe_opcode_t *insn, int len,
                          unsigned long resume);

/* ---- weak hooks: default no-ops here, implemented by the ftrace/optprobe parts ---- */
/* 1: addr is an ftrace site, the probe is now served by ftrace (KPROBE_FLAG_FTRACE set by
 * the core); 0: not a site; negative errno: inside a site but not at its start. */
int arch_prepare_kprobe_ftrace(struct kprobe *p);
void arch_disarm_kprobe_ftrace(struct kprobe *p);
/* Re-enable an FTRACE probe after disable_kprobe (default: nothing needed). */
void arch_arm_kprobe_ftrace(struct kprobe *p);
/* Called after a probe without post_handler is armed as a breakpoint: may replace it
 * (set KPROBE_FLAG_OPTIMIZED). */
void arch_optimize_kprobe(struct kprobe *p);
/* Called before disarm/disable/unregister of an OPTIMIZED probe: put the breakpoint back. */
void arch_unoptimize_kprobe(struct kprobe *p);
/* A new probe at addr: 0 if no optimized probe covers addr (or it was unoptimized so the
 * new one can go in), -EBUSY if the text there is owned by one that cannot give it up. */
int arch_check_optimized_kprobe(unsigned long addr);

/* ---- trap path entry points (registered on the break/fault hook chains) ---- */
int kprobe_breakpoint_handler(struct pt_regs *regs);
int kprobe_single_step_handler(struct pt_regs *regs);
int kprobe_fault_handler(struct pt_regs *regs, unsigned long cause);
int uprobe_breakpoint_handler(struct pt_regs *regs);
int uprobe_single_step_handler(struct pt_regs *regs);
int uprobe_fault_handler(struct pt_regs *regs, unsigned long cause);
/* Put the hooks on the chains (idempotent; every register_* calls it). */
void probes_init(void);

/* ---- hardware-breakpoint kprobes (hwbp.c, Sdtrig mcontrol6 execute triggers) ---- */
/* Trigger index now matching addr (execute, M-mode), or -ENOSPC when none is free. */
int hwbp_install(unsigned long addr);
void hwbp_remove(int index);

/* ---- kretprobes ---- */
int pre_handler_kretprobe(struct kprobe *p, struct pt_regs *regs);
extern char kretprobe_trampoline[];

/* Small allocator for kretprobe instances (no heap in this firmware). */
void *probes_alloc(size_t size);
void probes_free(void *p);
#endif
