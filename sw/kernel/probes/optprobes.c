/* Optimized kprobes (TRACING.md mechanism 5): a breakpoint kprobe without a
 * post_handler is replaced by a jump to a per-probe detour buffer, so a hit costs no
 * trap. Built with `spcore build --optprobe classic|spc` (CONFIG_OPTPROBE_<FLAVOUR>).
 *
 *   classic  the site becomes `auipc rX ; jalr x0` (8 bytes), rX a register that a
 *            liveness scan of the function shows dead at the probe; the detour comes
 *            back the same way with a register dead after the window (the Linux RISC-V
 *            optprobe patches' O-area / K-area search). No such register: refused.
 *   spc      the site becomes `c.jall x0, detour` (6 bytes, Xjall); the detour comes
 *            back through `lrw2spc` and a literal (Xspc): no register touched.
 *
 * The window is the instructions the jump overwrites (>= 6 or 8 bytes, whole
 * instructions; what is left over past the jump is filled with c.nop and never runs).
 * They are copied to the detour and run there. Refused, as Linux's can_optimize (the
 * probe stays a breakpoint probe): a copied instruction that is pc-relative or control
 * flow (auipc, jumps, branches, c.jall, lrw2spc) or that the kprobe decoder rejects; a
 * branch or jump of the function into the window past its first byte, or an indirect
 * jump in the function (its targets are unknown); a window that crosses the end of the
 * function; another probe or an ftrace site inside the window; a post_handler.
 *
 * Linux optimizes from delayed work after an RCU-tasks grace period; this one-hart
 * firmware optimizes at once, inside register_kprobe/enable_kprobe (interrupts off
 * while the site is written). The detour buffer of an unoptimized probe is not wiped,
 * so code still running in it (a handler that unregisters its own probe) finishes. */
#include <linux/kernel.h>
#include <asm/csr.h>
#include <asm/patch.h>
#include <asm/spcore.h>
#include "kprobes_internal.h"
#include "../trace/ftrace_internal.h"

#ifdef CONFIG_OPTPROBES

#if defined(CONFIG_OPTPROBE_SPC)
#if !defined(CONFIG_XSPC) || !defined(CONFIG_XJALL)
#error "--optprobe spc needs Xjall and Xspc"
#endif
#define OPT_JUMP_LEN 6
#define OPT_FLAVOUR "spc"
#else
#define OPT_JUMP_LEN 8
#define OPT_FLAVOUR "classic"
#endif
#define OPT_MAX_WINDOW (OPT_JUMP_LEN + 2)   /* the last copied instruction may be 4 bytes */
#define OPT_NR 8
#define OPT_BUF_SIZE 384
#define C_NOP 0x0001u

struct optimized_kprobe {
    struct kprobe *kp;                       /* NULL: buffer free */
    int len;                                 /* bytes replaced at the site */
    int reg_in, reg_out;                     /* classic: scratch registers; spc: -1 */
    u16 orig[OPT_MAX_WINDOW / 2];            /* the window's original instructions */
    u16 saved[OPT_MAX_WINDOW / 2];           /* the text before: breakpoint, then orig */
};

static struct optimized_kprobe opt[OPT_NR];
static u8 detour[OPT_NR][OPT_BUF_SIZE] __aligned(8);
extern const char optprobe_template[], optprobe_template_entry[], optprobe_template_end[];

/* Bytes replaced at the site of the last probe optimized (for the bench and tests). */
int optprobe_last_bytes;

static struct optimized_kprobe *__kprobes opt_of(const struct kprobe *p)
{
    for (int i = 0; i < OPT_NR; i++)
        if (opt[i].kp == p)
            return &opt[i];
    return NULL;
}

int __kprobes optprobe_site_bytes(const struct kprobe *p)
{
    struct optimized_kprobe *op = opt_of(p);
    return op ? op->len : 0;
}

/* The scratch register of a classic optimized probe at its site (-1: none). */
int __kprobes optprobe_scratch_reg(const struct kprobe *p)
{
    struct optimized_kprobe *op = opt_of(p);
    return op ? op->reg_in : -1;
}

/* ---- called from the detour ---- */
void __kprobes optimized_callback(struct kprobe *p, struct pt_regs *regs)
{
    if (p->flags & KPROBE_FLAG_DISABLED)
        return;
    if (kprobe_running()) {                  /* hit from inside a handler */
        p->nmissed++;
        return;
    }
    regs->epc = (unsigned long)p->addr;
    regs->status = csr_read(CSR_MSTATUS);
    regs->badaddr = 0;
    regs->cause = 0;
    kprobe_set_running_status(p, KPROBE_HIT_ACTIVE);
    if (p->pre_handler)
        p->pre_handler(p, regs);             /* an epc change is ignored, as in Linux */
    kprobe_reset_running();
}

/* ---- reading the function as it was, under any probe ---- */
int __kprobes arch_optimized_parcel(unsigned long a, u16 *parcel)
{
    for (int i = 0; i < OPT_NR; i++) {
        unsigned long s = opt[i].kp ? (unsigned long)opt[i].kp->addr : 0;
        if (s && a >= s && a < s + opt[i].len) {
            *parcel = opt[i].orig[(a - s) / 2];
            return 1;
        }
    }
    return 0;
}

/* What an instruction does with the GPRs and with control flow. */
enum { JUMP_NONE, JUMP_DIRECT, JUMP_INDIRECT };
struct insn_use {
    int len;                 /* 2, 4, 6; 0: not an instruction of this core */
    u32 reads, writes;       /* GPR masks */
    int stop;                /* control transfer, or unknown effect: a scan ends here */
    int jump;
    unsigned long target;    /* JUMP_DIRECT */
};

#define R(n) (1u << (n))
static inline long sext(unsigned long v, int bits)
{
    return (long)(v << (8 * sizeof(long) - bits)) >> (8 * sizeof(long) - bits);
}

static void __kprobes use32(u32 i, unsigned long pc, struct insn_use *u)
{
    unsigned rd = (i >> 7) & 31, rs1 = (i >> 15) & 31, rs2 = (i >> 20) & 31;
    switch (i & 0x7f) {
    case 0x37: case 0x17:                                    /* lui, auipc */
        u->writes = R(rd);
        break;
    case 0x6f:                                               /* jal */
        u->writes = R(rd);
        u->stop = 1;
        u->jump = JUMP_DIRECT;
        u->target = pc + sext(((i >> 31) << 20) | (((i >> 12) & 0xff) << 12) |
                              (((i >> 20) & 1) << 11) | (((i >> 21) & 0x3ff) << 1), 21);
        break;
    case 0x67:                                               /* jalr */
        u->reads = R(rs1);
        u->writes = R(rd);
        u->stop = 1;
        /* a call returns to the next instruction; `ret` leaves the function */
        if (rd == 0 && !(rs1 == 1 && (i >> 20) == 0))
            u->jump = JUMP_INDIRECT;
        break;
    case 0x63:                                               /* branches */
        u->reads = R(rs1) | R(rs2);
        u->stop = 1;
        u->jump = JUMP_DIRECT;
        u->target = pc + sext(((i >> 31) << 12) | (((i >> 7) & 1) << 11) |
                              (((i >> 25) & 0x3f) << 5) | (((i >> 8) & 0xf) << 1), 13);
        break;
    case 0x03: case 0x13: case 0x1b:                         /* loads, op-imm(-32) */
        u->reads = R(rs1);
        u->writes = R(rd);
        break;
    case 0x23:                                               /* stores */
        u->reads = R(rs1) | R(rs2);
        break;
    case 0x33: case 0x3b: case 0x2f:                         /* op(-32), amo */
        u->reads = R(rs1) | R(rs2);
        u->writes = R(rd);
        break;
    default:                     /* system, fence, lrw2spc, anything else: unknown */
        u->stop = 1;
    }
}

static void __kprobes use16(u16 i, unsigned long pc, struct insn_use *u)
{
    unsigned f3 = i >> 13, rd = (i >> 7) & 31, rs2 = (i >> 2) & 31;
    unsigned rdp = 8 + ((i >> 7) & 7), rs2p = 8 + ((i >> 2) & 7);
    int rv64 = __riscv_xlen == 64;
    switch (((i & 3) << 3) | f3) {
    case 000:                                                /* c.addi4spn */
        u->reads = R(2), u->writes = R(rs2p);
        break;
    case 002:                                                /* c.lw */
        u->reads = R(rdp), u->writes = R(rs2p);
        break;
    case 003:                                                /* c.ld (RV32: c.flw) */
        if (!rv64)
            goto unknown;
        u->reads = R(rdp), u->writes = R(rs2p);
        break;
    case 006:                                                /* c.sw */
        u->reads = R(rdp) | R(rs2p);
        break;
    case 007:                                                /* c.sd (RV32: c.fsw) */
        if (!rv64)
            goto unknown;
        u->reads = R(rdp) | R(rs2p);
        break;
    case 010:                                                /* c.addi, c.nop */
        u->reads = R(rd), u->writes = R(rd);
        break;
    case 011:                                                /* RV32 c.jal, RV64 c.addiw */
        if (rv64) {
            u->reads = R(rd), u->writes = R(rd);
            break;
        }
        u->writes = R(1);
        /* fall through */
    case 015:                                                /* c.j */
        u->stop = 1;
        u->jump = JUMP_DIRECT;
        u->target = pc + sext((((i >> 12) & 1) << 11) | (((i >> 8) & 1) << 10) |
                              (((i >> 9) & 3) << 8) | (((i >> 6) & 1) << 7) |
                              (((i >> 7) & 1) << 6) | (((i >> 2) & 1) << 5) |
                              (((i >> 11) & 1) << 4) | (((i >> 3) & 7) << 1), 12);
        break;
    case 012: case 013:                                      /* c.li, c.lui, c.addi16sp */
        u->writes = R(rd);
        if (rd == 2)
            u->reads = R(2);
        break;
    case 014:                                                /* c.srli ... c.and */
        u->reads = R(rdp), u->writes = R(rdp);
        if (((i >> 10) & 3) == 3)
            u->reads |= R(rs2p);
        break;
    case 016: case 017:                                      /* c.beqz, c.bnez */
        u->reads = R(rdp);
        u->stop = 1;
        u->jump = JUMP_DIRECT;
        u->target = pc + sext((((i >> 12) & 1) << 8) | (((i >> 5) & 3) << 6) |
                              (((i >> 2) & 1) << 5) | (((i >> 10) & 3) << 3) |
                              (((i >> 3) & 3) << 1), 9);
        break;
    case 020:                                                /* c.slli */
        u->reads = R(rd), u->writes = R(rd);
        break;
    case 022:                                                /* c.lwsp */
        u->reads = R(2), u->writes = R(rd);
        break;
    case 023:                                                /* c.ldsp (RV32: c.flwsp) */
        if (!rv64)
            goto unknown;
        u->reads = R(2), u->writes = R(rd);
        break;
    case 024:
        if (!(i & 0x1000)) {
            if (rs2) {                                       /* c.mv */
                u->reads = R(rs2), u->writes = R(rd);
            } else {                                         /* c.jr */
                u->reads = R(rd);
                u->stop = 1;
                if (rd != 1)
                    u->jump = JUMP_INDIRECT;
            }
        } else if (rs2) {                                    /* c.add */
            u->reads = R(rd) | R(rs2), u->writes = R(rd);
        } else {                                             /* c.jalr (a call), c.ebreak */
            u->reads = R(rd), u->writes = R(1);
            u->stop = 1;
        }
        break;
    case 026:                                                /* c.swsp */
        u->reads = R(2) | R(rs2);
        break;
    case 027:                                                /* c.sdsp (RV32: c.fswsp) */
        if (!rv64)
            goto unknown;
        u->reads = R(2) | R(rs2);
        break;
    default:
    unknown:
        u->stop = 1;
    }
}

/* Decode the instruction at a (original bytes) into u and its parcels into h[3]. */
static void __kprobes insn_use_at(unsigned long a, u16 h[3], struct insn_use *u)
{
    u->reads = u->writes = 0;
    u->stop = 0;
    u->jump = JUMP_NONE;
    h[0] = kprobe_original_parcel(a);
    u->len = riscv_insn_length(h[0]);
    for (int k = 1; k < u->len / 2; k++)
        h[k] = kprobe_original_parcel(a + 2 * k);
    if (u->len == 2) {
        use16(h[0], a, u);
    } else if (u->len == 4) {
        use32(h[0] | ((u32)h[1] << 16), a, u);
    } else if (u->len == 6) {                                /* c.jall */
        u->writes = R((h[0] >> 7) & 31);
        u->stop = 1;
        u->jump = JUMP_DIRECT;
        u->target = h[1] | ((unsigned long)h[2] << 16);
        if (__riscv_xlen == 64 && (h[0] & 0x1000))
            u->target = sext(u->target, 32);
    }
    u->writes &= ~R(0);
    u->reads &= ~R(0);
}

/* Registers dead at a: on the straight path from a up to the first control transfer
 * (or the function's end), their first use is a write. Never sp, gp, tp. */
static u32 __kprobes dead_regs(unsigned long a, unsigned long fend)
{
    u32 seen = 0, dead = 0;
    while (a < fend) {
        u16 h[3];
        struct insn_use u;
        insn_use_at(a, h, &u);
        if (!u.len)
            break;
        seen |= u.reads;
        dead |= u.writes & ~seen;
        seen |= u.writes;
        if (u.stop)
            break;
        a += u.len;
    }
    return dead & ~(R(0) | R(2) | R(3) | R(4));
}

/* The first dead register in an order that prefers temporaries, or -1. */
static int __kprobes pick_reg(u32 mask)
{
    static const u8 order[] = { 5, 6, 7, 28, 29, 30, 31, 17, 16, 15, 14, 13, 12, 11, 10, 1,
                                8, 9, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27 };
    for (unsigned i = 0; i < sizeof(order); i++)
        if (mask & R(order[i]))
            return order[i];
    return -1;
}

/* Linux's can_optimize: fills op (len, orig, registers) or says why not. */
static const char *__kprobes can_optimize(struct kprobe *p, struct optimized_kprobe *op)
{
    unsigned long addr = (unsigned long)p->addr, size, off;
    if (p->post_handler)
        return "post_handler";
    if (!kallsyms_lookup(addr, &size, &off) || !size)
        return "no function";
    unsigned long fstart = addr - off, fend = fstart + size;
    int len = 0;
    while (len < OPT_JUMP_LEN) {
        unsigned long a = addr + len;
        u16 h[3];
        struct insn_use u;
        struct arch_specific_insn api;
        if (a > addr && get_kprobe((void *)a))
            return "another probe in the window";
        if (ftrace_site_containing(a))
            return "ftrace site in the window";
        insn_use_at(a, h, &u);
        if (!u.len || a + u.len > fend)
            return "window crosses the function end";
        if (u.stop || u.jump || riscv_probe_decode_insn(h, a, &api) != INSN_GOOD)
            return "pc-relative or control-flow instruction";
        for (int k = 0; k < u.len / 2; k++)
            op->orig[len / 2 + k] = h[k];
        len += u.len;
    }
    op->len = len;
    /* Nothing of the function may jump into the window past its first byte. */
    unsigned long auipc_at = 0, auipc_val = 0;
    unsigned auipc_rd = 0;
    for (unsigned long a = fstart; a < fend;) {
        u16 h[3];
        struct insn_use u;
        insn_use_at(a, h, &u);
        if (!u.len)
            return "undecodable instruction in the function";
        u32 w = h[0] | ((u32)h[1] << 16);
        if (u.jump == JUMP_INDIRECT && u.len == 4 && auipc_at == a - 4 &&
            auipc_rd == ((w >> 15) & 31)) {                    /* auipc+jr: known target */
            u.jump = JUMP_DIRECT;
            u.target = auipc_val + sext(w >> 20, 12);
        }
        if (u.jump == JUMP_INDIRECT)
            return "indirect jump in the function";
        if (u.jump == JUMP_DIRECT && u.target > addr && u.target < addr + len)
            return "jump into the window";
        if (u.len == 4 && (w & 0x7f) == 0x17) {
            auipc_at = a;
            auipc_rd = (w >> 7) & 31;
            auipc_val = a + sext(w & 0xfffff000u, 32);
        }
        a += u.len;
    }
#ifdef CONFIG_OPTPROBE_CLASSIC
    u32 in = dead_regs(addr, fend), out = dead_regs(addr + len, fend);
    op->reg_in = pick_reg(in & out) >= 0 ? pick_reg(in & out) : pick_reg(in);
    op->reg_out = (out & R(op->reg_in)) ? op->reg_in : pick_reg(out);
    if (op->reg_in < 0 || op->reg_out < 0)
        return "no free register";
#else
    op->reg_in = op->reg_out = -1;
#endif
    return NULL;
}

/* ---- code generation ---- */
static void __kprobes put16(u8 *b, int *n, u16 v)
{
    b[(*n)++] = (u8)v;
    b[(*n)++] = (u8)(v >> 8);
}
static void __kprobes put32(u8 *b, int *n, u32 v)
{
    put16(b, n, (u16)v);
    put16(b, n, (u16)(v >> 16));
}

#ifdef CONFIG_OPTPROBE_CLASSIC
/* auipc reg ; jalr x0 from pc to target (+-2 GiB). */
static void __kprobes put_far_jump(u8 *b, int *n, unsigned long pc, unsigned long target,
                                   int reg)
{
    long offset = (long)(target - pc), hi = (offset + 0x800) >> 12, lo = offset - (hi << 12);
    put32(b, n, ((u32)hi << 12) | ((u32)reg << 7) | 0x17);
    put32(b, n, ((u32)(lo & 0xfff) << 20) | ((u32)reg << 15) | 0x67);
}
#endif

/* Fill the detour: template, copied window, way back. 0, or -ENOSPC. */
static int __kprobes build_detour(struct optimized_kprobe *op, u8 *buf)
{
    unsigned long addr = (unsigned long)op->kp->addr;
    int n = optprobe_template_end - optprobe_template;
    for (int i = 0; i < n; i++)
        buf[i] = optprobe_template[i];
    *(unsigned long *)buf = (unsigned long)op->kp;
#ifdef CONFIG_OPTPROBE_SPC
    /* lrw2spc ; window ; literal: the literal, right after the last copied instruction,
     * naturally aligned, so reaching it is the shadow jump back to addr + len. */
    while ((n + 4 + op->len) % 8)
        put16(buf, &n, C_NOP);
    put32(buf, &n, lrw2spc_encode(4 + op->len));
    for (int k = 0; k < op->len / 2; k++)
        put16(buf, &n, op->orig[k]);
    if (n + (int)sizeof(long) > OPT_BUF_SIZE)
        return -ENOSPC;
    *(unsigned long *)(buf + n) = addr + op->len;
#else
    for (int k = 0; k < op->len / 2; k++)
        put16(buf, &n, op->orig[k]);
    if (n + 8 > OPT_BUF_SIZE)
        return -ENOSPC;
    put_far_jump(buf, &n, (unsigned long)buf + n, addr + op->len, op->reg_out);
#endif
    flush_icache_all();
    return 0;
}

/* The bytes that replace the window: the jump, then c.nop. */
static void __kprobes site_bytes(struct optimized_kprobe *op, unsigned long entry, u8 *b)
{
    int n = 0;
#ifdef CONFIG_OPTPROBE_SPC
    put16(b, &n, c_jall_opcode(0, 0));
    put32(b, &n, (u32)entry);
#else
    put_far_jump(b, &n, (unsigned long)op->kp->addr, entry, op->reg_in);
#endif
    while (n < op->len)
        put16(b, &n, C_NOP);
}

/* ---- the hooks of the kprobes core ---- */
void __kprobes arch_optimize_kprobe(struct kprobe *p)
{
    struct optimized_kprobe *op = NULL, cand = { .kp = p };
    const char *why = can_optimize(p, &cand);
    int slot = -1;
    for (int i = 0; i < OPT_NR && slot < 0; i++)
        if (!opt[i].kp)
            slot = i;
    if (!why && slot < 0)
        why = "no free detour buffer";
    u8 *buf = slot >= 0 ? detour[slot] : NULL;
    unsigned long entry = (unsigned long)buf + (optprobe_template_entry - optprobe_template);
#ifdef CONFIG_OPTPROBE_SPC
    if (!why && (u32)entry != entry)
        why = "detour out of c.jall's reach";
#endif
    if (!why && build_detour(&cand, buf))
        why = "detour buffer too small";
    if (why) {
        printk("optprobe: %pS stays a breakpoint probe: %s\n", p->addr, why);
        return;
    }
    op = &opt[slot];
    *op = cand;
    for (int k = 0; k < op->len / 2; k++)
        op->saved[k] = ((const volatile u16 *)p->addr)[k];
    u8 site[OPT_MAX_WINDOW];
    site_bytes(op, entry, site);
    patch_text(p->addr, site, op->len);
    p->flags |= KPROBE_FLAG_OPTIMIZED;
    optprobe_last_bytes = op->len;
    printk("optprobe: %pS optimized (" OPT_FLAVOUR ", bytes=%d)\n", p->addr, op->len);
}

void __kprobes arch_unoptimize_kprobe(struct kprobe *p)
{
    struct optimized_kprobe *op = opt_of(p);
    if (op) {
        patch_text(p->addr, op->saved, op->len);     /* the breakpoint probe again */
        op->kp = NULL;
    }
    p->flags &= ~KPROBE_FLAG_OPTIMIZED;
}

int __kprobes arch_check_optimized_kprobe(unsigned long addr)
{
    for (int i = 0; i < OPT_NR; i++) {
        struct kprobe *q = opt[i].kp;
        unsigned long s = q ? (unsigned long)q->addr : 0;
        if (q && addr > s && addr < s + opt[i].len)
            arch_unoptimize_kprobe(q);       /* the new probe gets its own breakpoint */
    }
    return 0;
}
#else
int optprobe_last_bytes;
int optprobe_site_bytes(const struct kprobe *p) { (void)p; return 0; }
int optprobe_scratch_reg(const struct kprobe *p) { (void)p; return -1; }
#endif
