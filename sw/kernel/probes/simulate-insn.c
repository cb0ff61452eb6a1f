/* Simulation of the pc-relative and control-flow instructions on struct pt_regs (the
 * SIMULATE class of decode-insn.c), as Linux's simulate-insn.c: rd = x0 writes are
 * dropped, links are addr + length, jalr targets have bit 0 cleared. */
#include <asm/csr.h>
#include "kprobes_internal.h"

/* pt_regs slot i (1..31) holds x_i; slot 0 is epc. */
static inline unsigned long __kprobes rd_reg(struct pt_regs *regs, unsigned r)
{
    return r ? ((unsigned long *)regs)[r] : 0;
}
static inline void __kprobes wr_reg(struct pt_regs *regs, unsigned r, unsigned long v)
{
    if (r)
        ((unsigned long *)regs)[r] = v;
}

static inline unsigned long __kprobes bits(u32 x, int hi, int lo)
{
    return (x >> lo) & ((1UL << (hi - lo + 1)) - 1);
}
static inline long __kprobes sext(unsigned long v, int width)
{
    return (long)(v << (8 * sizeof(long) - width)) >> (8 * sizeof(long) - width);
}

static long __kprobes imm_b(u32 i)
{
    return sext(bits(i, 31, 31) << 12 | bits(i, 7, 7) << 11 | bits(i, 30, 25) << 5 |
                bits(i, 11, 8) << 1, 13);
}
static long __kprobes imm_j(u32 i)
{
    return sext(bits(i, 31, 31) << 20 | bits(i, 19, 12) << 12 | bits(i, 20, 20) << 11 |
                bits(i, 30, 21) << 1, 21);
}
static long __kprobes imm_cj(u32 i)      /* offset[11|4|9:8|10|6|7|3:1|5] in [12:2] */
{
    return sext(bits(i, 12, 12) << 11 | bits(i, 11, 11) << 4 | bits(i, 10, 9) << 8 |
                bits(i, 8, 8) << 10 | bits(i, 7, 7) << 6 | bits(i, 6, 6) << 7 |
                bits(i, 5, 3) << 1 | bits(i, 2, 2) << 5, 12);
}
static long __kprobes imm_cb(u32 i)      /* offset[8|4:3] [12:10], [7:6|2:1|5] [6:2] */
{
    return sext(bits(i, 12, 12) << 8 | bits(i, 11, 10) << 3 | bits(i, 6, 5) << 6 |
                bits(i, 4, 3) << 1 | bits(i, 2, 2) << 5, 9);
}

static int __kprobes branch_taken(u32 insn, unsigned long a, unsigned long b)
{
    switch ((insn >> 12) & 7) {
    case 0: return a == b;
    case 1: return a != b;
    case 4: return (long)a < (long)b;
    case 5: return (long)a >= (long)b;
    case 6: return a < b;
    case 7: return a >= b;
    }
    return 0;
}

int __kprobes riscv_probe_simulate(const struct arch_specific_insn *api,
                                   const kprobe_opcode_t *op, unsigned long addr,
                                   struct pt_regs *regs)
{
    u32 insn = op[0] | (api->len >= 4 ? (u32)op[1] << 16 : 0);
    unsigned rd = bits(insn, 11, 7), rs1 = bits(insn, 19, 15), rs2 = bits(insn, 24, 20);
    unsigned long t;

    switch (api->kind) {
    case SIM_AUIPC:
        wr_reg(regs, rd, addr + (long)(s32)(insn & 0xfffff000));
        regs->epc = addr + 4;
        return 0;
    case SIM_JAL:
        wr_reg(regs, rd, addr + 4);
        regs->epc = addr + imm_j(insn);
        return 0;
    case SIM_JALR:
        t = (rd_reg(regs, rs1) + sext(insn >> 20, 12)) & ~1UL;   /* rs1 read before rd */
        wr_reg(regs, rd, addr + 4);
        regs->epc = t;
        return 0;
    case SIM_BRANCH:
        regs->epc = addr + (branch_taken(insn, rd_reg(regs, rs1), rd_reg(regs, rs2))
                            ? imm_b(insn) : 4);
        return 0;
    case SIM_C_J:
    case SIM_C_JAL:
        if (api->kind == SIM_C_JAL)
            regs->ra = addr + 2;
        regs->epc = addr + imm_cj(insn);
        return 0;
    case SIM_C_JR:
    case SIM_C_JALR:
        t = rd_reg(regs, bits(insn, 11, 7)) & ~1UL;
        if (!bits(insn, 11, 7))
            return -EINVAL;
        if (api->kind == SIM_C_JALR)
            regs->ra = addr + 2;
        regs->epc = t;
        return 0;
    case SIM_C_BEQZ:
    case SIM_C_BNEZ:
        t = rd_reg(regs, 8 + bits(insn, 9, 7));
        regs->epc = addr + (((t == 0) == (api->kind == SIM_C_BEQZ)) ? imm_cb(insn) : 2);
        return 0;
    case SIM_C_JALL: {
        /* The literal is read where it lives: the probe covers only the first parcel. */
        const volatile u16 *lit = (const u16 *)(addr + 2);
        unsigned long imm = lit[0] | ((unsigned long)lit[1] << 16);
        t = (op[0] & 0x1000) ? (unsigned long)(long)(s32)imm : imm;
        if (t & 1)
            return -EINVAL;
        wr_reg(regs, rd, addr + 6);
        regs->epc = t;
        return 0;
    }
    case SIM_LRW2SPC: {
        unsigned long a = addr + sext(insn >> 20, 12);
        unsigned long v = *(const volatile unsigned long *)a;
        regs->epc = addr + 4;
        if (a == addr + 4)          /* the shadow jump happens as lrw2spc retires */
            regs->epc = v;
        else {                      /* trap entry saved spc/spctrig in pt_regs; the */
            regs->spc = v;          /* trap return writes them to mspc/mspctrig */
            regs->spctrig = a | 1;  /* and mret arms the shadow jump */
        }
        return 0;
    }
    }
    return -EINVAL;
}
