/* Which instructions may be probed, and how (Linux's riscv_probe_decode_insn, extended
 * with Xjall and Xspc). Rejected: the SYSTEM and MISC-MEM major opcodes whole (ecall,
 * ebreak, csr*, mret, wfi, fence, fence.i), c.ebreak, and encodings that are reserved or
 * illegal here. Simulated: everything whose result depends on its own pc or that
 * transfers control. Everything else is single-stepped out of line. */
#include "kprobes_internal.h"

#define OPC_SYSTEM 0x73
#define OPC_MISC_MEM 0x0f
#define OPC_AUIPC 0x17
#define OPC_JAL 0x6f
#define OPC_JALR 0x67
#define OPC_BRANCH 0x63
#define OPC_CUSTOM0 0x0b
#define C_EBREAK 0x9002

static enum probe_insn __kprobes decode16(u16 insn, struct arch_specific_insn *api)
{
    unsigned quadrant = insn & 3, funct3 = insn >> 13;
    unsigned rs1 = (insn >> 7) & 31, rs2 = (insn >> 2) & 31;

    if (insn == C_EBREAK || insn == 0)      /* c.ebreak; all-zero is defined illegal */
        return INSN_REJECTED;
    if (quadrant == 1) {
        if (funct3 == 5)
            return api->kind = SIM_C_J, INSN_GOOD_NO_SLOT;
#if __riscv_xlen == 32
        if (funct3 == 1)                    /* RV64: c.addiw, an ordinary ALU op */
            return api->kind = SIM_C_JAL, INSN_GOOD_NO_SLOT;
#endif
        if (funct3 == 6)
            return api->kind = SIM_C_BEQZ, INSN_GOOD_NO_SLOT;
        if (funct3 == 7)
            return api->kind = SIM_C_BNEZ, INSN_GOOD_NO_SLOT;
    }
    if (quadrant == 2 && funct3 == 4 && rs2 == 0) {
        if (rs1 == 0)                       /* c.jr x0 reserved; c.jalr x0 = c.ebreak */
            return INSN_REJECTED;
        api->kind = (insn & 0x1000) ? SIM_C_JALR : SIM_C_JR;
        return INSN_GOOD_NO_SLOT;
    }
    return INSN_GOOD;
}

static enum probe_insn __kprobes decode32(u32 insn, unsigned long addr,
                                          struct arch_specific_insn *api)
{
    unsigned funct3 = (insn >> 12) & 7;

    switch (insn & 0x7f) {
    case OPC_SYSTEM:
    case OPC_MISC_MEM:
        return INSN_REJECTED;
    case OPC_AUIPC:
        return api->kind = SIM_AUIPC, INSN_GOOD_NO_SLOT;
    case OPC_JAL:
        return api->kind = SIM_JAL, INSN_GOOD_NO_SLOT;
    case OPC_JALR:
        if (funct3)
            return INSN_REJECTED;
        return api->kind = SIM_JALR, INSN_GOOD_NO_SLOT;
    case OPC_BRANCH:
        if (funct3 == 2 || funct3 == 3)     /* no such branch */
            return INSN_REJECTED;
        return api->kind = SIM_BRANCH, INSN_GOOD_NO_SLOT;
    case OPC_CUSTOM0:
#ifdef CONFIG_XSPC
        if ((insn & 0xfffff) == 0x0b) {     /* lrw2spc: its literal must load cleanly */
            long off = (long)(s32)insn >> 20;
            if ((addr + off) & (sizeof(long) - 1))
                return INSN_REJECTED;
            return api->kind = SIM_LRW2SPC, INSN_GOOD_NO_SLOT;
        }
#endif
        /* a pc-relative custom instruction this build cannot execute: never step it */
        return INSN_REJECTED;
    }
    return INSN_GOOD;
}

enum probe_insn __kprobes riscv_probe_decode_insn(const kprobe_opcode_t *insn,
                                                  unsigned long addr,
                                                  struct arch_specific_insn *api)
{
    int len = riscv_insn_length(insn[0]);

    api->kind = SIM_NONE;
    api->len = len;
    if (len == 2)
        return decode16(insn[0], api);
    if (len == 4)
        return decode32(insn[0] | ((u32)insn[1] << 16), addr, api);
#ifdef CONFIG_XJALL
    if (len == 6 && (insn[0] & 0xe07f) == 0x001f) {   /* c.jall */
        if (insn[1] & 1)                    /* odd target: would fault, never taken */
            return INSN_REJECTED;
        return api->kind = SIM_C_JALL, INSN_GOOD_NO_SLOT;
    }
#endif
    return INSN_REJECTED;
}
