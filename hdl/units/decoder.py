"""Instruction decoder, generated from the ISA table (spcore.isa.INSNS).

Every 32- and 48-bit row enabled in this configuration becomes one mask/match
comparator; the row's field list says which registers and which immediate format the
instruction has, and its name picks the execute-stage operation. Compressed
instructions arrive already expanded (units/rvc.py). No row matches -> `illegal`.
"""
from amaranth import *
from amaranth.lib import wiring
from amaranth.lib.wiring import In, Out

from spcore import isa

from ..layouts import Op, decoded_layout

_OP_BY_NAME = {
    "lui": Op.LUI, "auipc": Op.AUIPC, "jal": Op.JAL, "jalr": Op.JALR, "c.jall": Op.JALL,
    "ecall": Op.ECALL, "ebreak": Op.EBREAK, "mret": Op.MRET, "wfi": Op.WFI,
    "fence": Op.FENCE, "fence.i": Op.FENCEI, "lrw2spc": Op.LRW2SPC,
}
_ALT = {"sub", "subw", "sra", "srai", "sraw", "sraiw"}


def op_of(spec):
    if spec.name in _OP_BY_NAME:
        return _OP_BY_NAME[spec.name]
    if "branch" in spec.tags:
        return Op.BRANCH
    if "load" in spec.tags:
        return Op.LOAD
    if "store" in spec.tags:
        return Op.STORE
    if "csr" in spec.tags:
        return Op.CSR
    if spec.ext == "M":
        return Op.DIV if spec.name.startswith(("div", "rem")) else Op.MUL
    return Op.ALU


# Immediate format by the table's field extractor.
_IMM_FORMATS = {isa.f_imm_i: "i", isa.f_imm_s: "s", isa.f_imm_b: "b", isa.f_imm_u: "u",
                isa.f_imm_j: "j", isa.f_shamt: "shamt", isa.f_zimm: "zimm",
                isa.f_jall_imm32: "jall"}


def rows_for(xlen, exts):
    return [s for s in isa.INSNS
            if s.length in (4, 6) and xlen in s.xlens and s.ext in exts]


class Decoder(wiring.Component):
    def __init__(self, xlen, exts):
        self.xlen = xlen
        self.exts = exts
        super().__init__({"d_insn": In(48), "d_dec": Out(decoded_layout(xlen))})

    def elaborate(self, platform):
        m = Module()
        b, d, xlen = self.d_insn, self.d_dec, self.xlen
        imms = {
            "i": b[20:32].as_signed(),
            "s": Cat(b[7:12], b[25:32]).as_signed(),
            "b": Cat(C(0, 1), b[8:12], b[25:31], b[7], b[31]).as_signed(),
            "u": Cat(C(0, 12), b[12:32]).as_signed(),
            "j": Cat(C(0, 1), b[21:31], b[20], b[12:20], b[31]).as_signed(),
            "shamt": b[20:26],
            "zimm": b[15:20],
            # c.jall: S (bit 12) sign-extends imm32, else zero-extends
            "jall": Mux(b[12], b[16:48].as_signed(), b[16:48].as_unsigned()),
        }
        hits = []
        for spec in rows_for(xlen, self.exts):
            mask = spec.mask & ((1 << 8 * spec.length) - 1)
            hit = Signal(name="is_" + spec.name.replace(".", "_") + f"_{len(hits)}")
            m.d.comb += hit.eq((b[:8 * spec.length] & mask) == spec.match)
            hits.append((hit, spec))

        def any_of(pred):
            sigs = [h for h, s in hits if pred(s)]
            return Cat(*sigs).any() if sigs else C(0, 1)

        fields = lambda s: {n for n, _ in s.fields}
        m.d.comb += [
            d.illegal.eq(~Cat(*(h for h, _ in hits)).any()),
            d.funct3.eq(b[12:15]),
            d.alt.eq(any_of(lambda s: s.name in _ALT)),
            d.word.eq(any_of(lambda s: s.name.endswith("w") and s.ext in ("I", "M")
                              and s.name not in ("lw", "sw"))),
            d.use_imm.eq(any_of(lambda s: op_of(s) == Op.ALU and "rs2" not in fields(s))),
            d.has_rs1.eq(any_of(lambda s: "rs1" in fields(s))),
            d.has_rs2.eq(any_of(lambda s: "rs2" in fields(s))),
            d.has_rd.eq(any_of(lambda s: "rd" in fields(s))),
            d.csr_imm.eq(any_of(lambda s: "zimm" in fields(s))),
            d.rs1.eq(b[15:20]), d.rs2.eq(b[20:25]), d.rd.eq(b[7:12]),
            d.csr.eq(b[20:32]),
        ]
        with m.Switch(Cat(*(h for h, _ in hits))):
            for i, (hit, spec) in enumerate(hits):
                with m.Case("-" * (len(hits) - 1 - i) + "1" + "0" * i):
                    m.d.comb += d.op.eq(op_of(spec))
                    fmt = [_IMM_FORMATS[fn] for _, fn in spec.fields if fn in _IMM_FORMATS]
                    if fmt:
                        m.d.comb += d.imm.eq(imms[fmt[0]])
            with m.Default():
                m.d.comb += d.op.eq(Op.ALU)
        return m
