"""The ISA table: the one place an instruction of spcore is defined.

Every instruction the core knows is one `InsnSpec` row in `INSNS`: its mnemonic, the
extension it belongs to, its length, its encoding as mask/match, the operand fields it has
(each with the function that extracts it), its assembly syntax, the XLENs it exists on, a
predicate for reserved encodings inside the mask/match space, and for a compressed
instruction the 32-bit instruction it expands to.

Readers of this table: the golden model's decoder (spcore.sim.model), the disassembler
(spcore.disasm), the RTL decoder and RVC-expander tests (tests/test_hdl_*), and the kprobe
decoder's host-side tests. Adding an instruction means adding a row here and its semantics
in the model; nothing else.

Field values are final, semantic values: immediates are sign-extended (or zero-extended
where the spec says unsigned) and scaled, and the `imm` of lui/auipc/c.lui is already
shifted left by 12.  Sources: RISC-V unprivileged spec 20191213 (RV32I/RV64I, M, C,
Zicsr, Zifencei), privileged spec 20211203 (mret, wfi), and EXTENSIONS.md (lrw2spc, c.jall).
"""
from dataclasses import dataclass, field
from typing import Callable, Optional


# --------------------------------------------------------------------------- bit helpers

def sext(value: int, bits: int) -> int:
    """Sign-extend the low `bits` bits of value to a Python int."""
    value &= (1 << bits) - 1
    return value - (1 << bits) if value >> (bits - 1) else value


def bit(b: int, i: int) -> int:
    return (b >> i) & 1


def bits(b: int, hi: int, lo: int) -> int:
    return (b >> lo) & ((1 << (hi - lo + 1)) - 1)


def scatter(b: int, mapping) -> int:
    """Assemble an immediate from instruction bits.

    mapping: sequence of (insn_hi, insn_lo, imm_lo): insn bits [insn_hi:insn_lo] become
    immediate bits [imm_lo + width - 1 : imm_lo].
    """
    v = 0
    for hi, lo, dst in mapping:
        v |= bits(b, hi, lo) << dst
    return v


# ------------------------------------------------------------------ field extractors
# 32-bit formats (unprivileged spec, chapter 2.3 "Immediate Encoding Variants")

def f_rd(b): return bits(b, 11, 7)
def f_rs1(b): return bits(b, 19, 15)
def f_rs2(b): return bits(b, 24, 20)
def f_imm_i(b): return sext(b >> 20, 12)
def f_imm_s(b): return sext(scatter(b, ((31, 25, 5), (11, 7, 0))), 12)
def f_imm_b(b): return sext(scatter(b, ((31, 31, 12), (7, 7, 11), (30, 25, 5), (11, 8, 1))), 13)
def f_imm_u(b): return sext(b & 0xFFFFF000, 32)
def f_imm_j(b): return sext(scatter(b, ((31, 31, 20), (19, 12, 12), (20, 20, 11), (30, 21, 1))), 21)
def f_shamt(b): return bits(b, 25, 20)          # 6 bits; RV32 rows mask bit 25 to 0
def f_csr(b): return bits(b, 31, 20)
def f_zimm(b): return bits(b, 19, 15)           # CSR*I: 5-bit unsigned immediate in rs1
def f_pred(b): return bits(b, 27, 24)
def f_succ(b): return bits(b, 23, 20)
def f_fm(b): return bits(b, 31, 28)

# 48-bit c.jall (EXTENSIONS.md): rd [11:7], S [12], imm32 [47:16]
def f_jall_s(b): return bit(b, 12)
def f_jall_imm32(b): return bits(b, 47, 16)

# 16-bit formats (unprivileged spec, chapter 16 "C" Standard Extension)
def f_c_rd(b): return bits(b, 11, 7)            # rd / rs1 in CR, CI
def f_c_rs2(b): return bits(b, 6, 2)            # rs2 in CR, CSS
def f_c_rdp(b): return 8 + bits(b, 4, 2)        # rd' in CIW, CL; rs2' in CS
def f_c_rs1p(b): return 8 + bits(b, 9, 7)       # rs1' in CL, CS, CB; rd' in CA, CB
def f_c_imm6(b): return sext(scatter(b, ((12, 12, 5), (6, 2, 0))), 6)
def f_c_uimm6(b): return scatter(b, ((12, 12, 5), (6, 2, 0)))   # shift amounts
def f_c_lui(b): return sext(scatter(b, ((12, 12, 17), (6, 2, 12))), 18)
def f_c_addi16sp(b):
    return sext(scatter(b, ((12, 12, 9), (6, 6, 4), (5, 5, 6), (4, 3, 7), (2, 2, 5))), 10)
def f_c_addi4spn(b): return scatter(b, ((12, 11, 4), (10, 7, 6), (6, 6, 2), (5, 5, 3)))
def f_c_lw(b): return scatter(b, ((12, 10, 3), (6, 6, 2), (5, 5, 6)))
def f_c_ld(b): return scatter(b, ((12, 10, 3), (6, 5, 6)))
def f_c_lwsp(b): return scatter(b, ((12, 12, 5), (6, 4, 2), (3, 2, 6)))
def f_c_ldsp(b): return scatter(b, ((12, 12, 5), (6, 5, 3), (4, 2, 6)))
def f_c_swsp(b): return scatter(b, ((12, 9, 2), (8, 7, 6)))
def f_c_sdsp(b): return scatter(b, ((12, 10, 3), (9, 7, 6)))
def f_c_j(b):
    return sext(scatter(b, ((12, 12, 11), (11, 11, 4), (10, 9, 8), (8, 8, 10), (7, 7, 6),
                            (6, 6, 7), (5, 3, 1), (2, 2, 5))), 12)
def f_c_b(b):
    return sext(scatter(b, ((12, 12, 8), (11, 10, 3), (6, 5, 6), (4, 3, 1), (2, 2, 5))), 9)


# -------------------------------------------------------------------------- the row

@dataclass(frozen=True)
class InsnSpec:
    name: str                       # mnemonic as objdump -M no-aliases prints it
    ext: str                        # I M C Zicsr Zifencei priv Xspc Xjall
    length: int                     # bytes: 2, 4 or 6
    mask: int
    match: int
    fields: tuple                   # ((name, extractor), ...)
    syntax: str                     # operands, e.g. "{rd},{imm}({rs1})"
    xlens: frozenset = frozenset((32, 64))
    valid: Optional[Callable[[dict], bool]] = None    # False = reserved encoding
    expands_to: Optional[tuple] = None                # C only: (name, {field: src|const})
    tags: frozenset = field(default_factory=frozenset)  # load store branch jump pcrel ...

    def fields_of(self, b: int) -> dict:
        return {n: fn(b) for n, fn in self.fields}


@dataclass(frozen=True)
class Decoded:
    spec: InsnSpec
    f: dict                          # field name -> value
    bits: int

    @property
    def name(self):
        return self.spec.name

    @property
    def length(self):
        return self.spec.length


INSNS: list = []
RV32, RV64, BOTH = frozenset((32,)), frozenset((64,)), frozenset((32, 64))

R = (("rd", f_rd), ("rs1", f_rs1), ("rs2", f_rs2))
I = (("rd", f_rd), ("rs1", f_rs1), ("imm", f_imm_i))
S = (("rs1", f_rs1), ("rs2", f_rs2), ("imm", f_imm_s))
B = (("rs1", f_rs1), ("rs2", f_rs2), ("imm", f_imm_b))
U = (("rd", f_rd), ("imm", f_imm_u))
J = (("rd", f_rd), ("imm", f_imm_j))
SH = (("rd", f_rd), ("rs1", f_rs1), ("shamt", f_shamt))
CSR = (("rd", f_rd), ("rs1", f_rs1), ("csr", f_csr))
CSRI = (("rd", f_rd), ("zimm", f_zimm), ("csr", f_csr))


def _add(name, ext, length, mask, match, fields, syntax, xlens=BOTH, valid=None,
         expands_to=None, tags=()):
    INSNS.append(InsnSpec(name, ext, length, mask, match, tuple(fields), syntax,
                          frozenset(xlens), valid, expands_to, frozenset(tags)))


def _op(opcode, funct3=0, funct7=0):
    return opcode | (funct3 << 12) | (funct7 << 25)


# ---------------------------------------------------------------- RV32I / RV64I base
_add("lui", "I", 4, 0x7F, 0x37, U, "{rd},{imm:hi20}")
_add("auipc", "I", 4, 0x7F, 0x17, U, "{rd},{imm:hi20}", tags=("pcrel",))
_add("jal", "I", 4, 0x7F, 0x6F, J, "{rd},{imm:target}", tags=("jump", "pcrel"))
_add("jalr", "I", 4, 0x707F, 0x67, I, "{rd},{imm}({rs1})", tags=("jump",))
for _n, _f3 in (("beq", 0), ("bne", 1), ("blt", 4), ("bge", 5), ("bltu", 6), ("bgeu", 7)):
    _add(_n, "I", 4, 0x707F, _op(0x63, _f3), B, "{rs1},{rs2},{imm:target}",
         tags=("branch", "pcrel"))
for _n, _f3, _x in (("lb", 0, BOTH), ("lh", 1, BOTH), ("lw", 2, BOTH), ("ld", 3, RV64),
                    ("lbu", 4, BOTH), ("lhu", 5, BOTH), ("lwu", 6, RV64)):
    _add(_n, "I", 4, 0x707F, _op(0x03, _f3), I, "{rd},{imm}({rs1})", _x, tags=("load",))
for _n, _f3, _x in (("sb", 0, BOTH), ("sh", 1, BOTH), ("sw", 2, BOTH), ("sd", 3, RV64)):
    _add(_n, "I", 4, 0x707F, _op(0x23, _f3), S, "{rs2},{imm}({rs1})", _x, tags=("store",))
for _n, _f3 in (("addi", 0), ("slti", 2), ("sltiu", 3), ("xori", 4), ("ori", 6), ("andi", 7)):
    _add(_n, "I", 4, 0x707F, _op(0x13, _f3), I, "{rd},{rs1},{imm}")
for _n, _f3, _f6 in (("slli", 1, 0x00), ("srli", 5, 0x00), ("srai", 5, 0x10)):
    # RV32: shamt[5] must be 0 (mask covers bit 25); RV64: 6-bit shamt.
    _add(_n, "I", 4, 0xFE00707F, _op(0x13, _f3, _f6 << 1), SH, "{rd},{rs1},{shamt:hex}", RV32)
    _add(_n, "I", 4, 0xFC00707F, _op(0x13, _f3, _f6 << 1), SH, "{rd},{rs1},{shamt:hex}", RV64)
for _n, _f3, _f7 in (("add", 0, 0), ("sub", 0, 0x20), ("sll", 1, 0), ("slt", 2, 0),
                     ("sltu", 3, 0), ("xor", 4, 0), ("srl", 5, 0), ("sra", 5, 0x20),
                     ("or", 6, 0), ("and", 7, 0)):
    _add(_n, "I", 4, 0xFE00707F, _op(0x33, _f3, _f7), R, "{rd},{rs1},{rs2}")
_add("addiw", "I", 4, 0x707F, _op(0x1B, 0), I, "{rd},{rs1},{imm}", RV64)
for _n, _f3, _f7 in (("slliw", 1, 0), ("srliw", 5, 0), ("sraiw", 5, 0x20)):
    _add(_n, "I", 4, 0xFE00707F, _op(0x1B, _f3, _f7), SH, "{rd},{rs1},{shamt:hex}", RV64)
for _n, _f3, _f7 in (("addw", 0, 0), ("subw", 0, 0x20), ("sllw", 1, 0), ("srlw", 5, 0),
                     ("sraw", 5, 0x20)):
    _add(_n, "I", 4, 0xFE00707F, _op(0x3B, _f3, _f7), R, "{rd},{rs1},{rs2}", RV64)
# fence: fm/pred/succ/rs1/rd not checked (fence.tso and pause are fences).
_add("fence", "I", 4, 0x707F, 0x0F, (("pred", f_pred), ("succ", f_succ), ("fm", f_fm)),
     "{pred:fence},{succ:fence}", tags=("fence",))
_add("ecall", "I", 4, 0xFFFFFFFF, 0x00000073, (), "", tags=("system",))
_add("ebreak", "I", 4, 0xFFFFFFFF, 0x00100073, (), "", tags=("system",))

# ---------------------------------------------------------------------------- M
for _n, _f3 in (("mul", 0), ("mulh", 1), ("mulhsu", 2), ("mulhu", 3),
                ("div", 4), ("divu", 5), ("rem", 6), ("remu", 7)):
    _add(_n, "M", 4, 0xFE00707F, _op(0x33, _f3, 1), R, "{rd},{rs1},{rs2}")
for _n, _f3 in (("mulw", 0), ("divw", 4), ("divuw", 5), ("remw", 6), ("remuw", 7)):
    _add(_n, "M", 4, 0xFE00707F, _op(0x3B, _f3, 1), R, "{rd},{rs1},{rs2}", RV64)

# ---------------------------------------------------------------- Zicsr, Zifencei, priv
for _n, _f3 in (("csrrw", 1), ("csrrs", 2), ("csrrc", 3)):
    _add(_n, "Zicsr", 4, 0x707F, _op(0x73, _f3), CSR, "{rd},{csr:csr},{rs1}", tags=("csr",))
for _n, _f3 in (("csrrwi", 5), ("csrrsi", 6), ("csrrci", 7)):
    _add(_n, "Zicsr", 4, 0x707F, _op(0x73, _f3), CSRI, "{rd},{csr:csr},{zimm}", tags=("csr",))
_add("fence.i", "Zifencei", 4, 0x707F, 0x100F, (), "", tags=("fence",))
_add("mret", "priv", 4, 0xFFFFFFFF, 0x30200073, (), "", tags=("system",))
_add("wfi", "priv", 4, 0xFFFFFFFF, 0x10500073, (), "", tags=("system",))

# ------------------------------------------------------------------- Xspc, Xjall
# lrw2spc: custom-0, rs1 = rd = funct3 = 0 (other values reserved -> illegal).
_add("lrw2spc", "Xspc", 4, 0x000FFFFF, 0x0000000B, (("imm", f_imm_i),), "{imm}",
     tags=("pcrel", "spc"))
# c.jall: 48-bit; bits [5:0] = 011111, bit 6 = 0, funct3 [15:13] = 000.
_add("c.jall", "Xjall", 6, 0xE07F, 0x001F,
     (("rd", f_rd), ("s", f_jall_s), ("imm32", f_jall_imm32)), "{rd},{imm32:jall}",
     tags=("jump",))

# ---------------------------------------------------------------------------- C
def _c(name, mask, match, fields, syntax, expands_to, xlens=BOTH, valid=None, tags=()):
    _add(name, "C", 2, mask, match, fields, syntax, xlens, valid, expands_to, tags)


CIW = (("rd", f_c_rdp), ("imm", f_c_addi4spn))
CL_W = (("rd", f_c_rdp), ("rs1", f_c_rs1p), ("imm", f_c_lw))
CL_D = (("rd", f_c_rdp), ("rs1", f_c_rs1p), ("imm", f_c_ld))
CS_W = (("rs2", f_c_rdp), ("rs1", f_c_rs1p), ("imm", f_c_lw))
CS_D = (("rs2", f_c_rdp), ("rs1", f_c_rs1p), ("imm", f_c_ld))
CI = (("rd", f_c_rd), ("imm", f_c_imm6))
CB_SH = (("rd", f_c_rs1p), ("shamt", f_c_uimm6))
CA = (("rd", f_c_rs1p), ("rs2", f_c_rdp))
CR = (("rd", f_c_rd), ("rs2", f_c_rs2))
CR1 = (("rs1", f_c_rd),)
CB = (("rs1", f_c_rs1p), ("imm", f_c_b))
CJ = (("imm", f_c_j),)

def _rv32_shamt(f): return f["shamt"] < 32   # RV32: shamt[5] = 1 is reserved (NSE)


# Quadrant 0. 0x0000 (all zero) is the defined illegal instruction: no row matches it.
_c("c.addi4spn", 0xE003, 0x0000, CIW, "{rd},x2,{imm}",
   ("addi", {"rd": "rd", "rs1": 2, "imm": "imm"}), valid=lambda f: f["imm"] != 0)
_c("c.lw", 0xE003, 0x4000, CL_W, "{rd},{imm}({rs1})",
   ("lw", {"rd": "rd", "rs1": "rs1", "imm": "imm"}), tags=("load",))
_c("c.ld", 0xE003, 0x6000, CL_D, "{rd},{imm}({rs1})",
   ("ld", {"rd": "rd", "rs1": "rs1", "imm": "imm"}), RV64, tags=("load",))
_c("c.sw", 0xE003, 0xC000, CS_W, "{rs2},{imm}({rs1})",
   ("sw", {"rs1": "rs1", "rs2": "rs2", "imm": "imm"}), tags=("store",))
_c("c.sd", 0xE003, 0xE000, CS_D, "{rs2},{imm}({rs1})",
   ("sd", {"rs1": "rs1", "rs2": "rs2", "imm": "imm"}), RV64, tags=("store",))

# Quadrant 1. c.nop is c.addi x0 (objdump -M no-aliases prints "c.addi x0,0").
_c("c.addi", 0xE003, 0x0001, CI, "{rd},{imm}",
   ("addi", {"rd": "rd", "rs1": "rd", "imm": "imm"}))
_c("c.jal", 0xE003, 0x2001, CJ, "{imm:target}",
   ("jal", {"rd": 1, "imm": "imm"}), RV32, tags=("jump", "pcrel"))
_c("c.addiw", 0xE003, 0x2001, CI, "{rd},{imm}",
   ("addiw", {"rd": "rd", "rs1": "rd", "imm": "imm"}), RV64, valid=lambda f: f["rd"] != 0)
_c("c.li", 0xE003, 0x4001, CI, "{rd},{imm}",
   ("addi", {"rd": "rd", "rs1": 0, "imm": "imm"}))
_c("c.addi16sp", 0xEF83, 0x6101, (("imm", f_c_addi16sp),), "x2,{imm}",
   ("addi", {"rd": 2, "rs1": 2, "imm": "imm"}), valid=lambda f: f["imm"] != 0)
_c("c.lui", 0xE003, 0x6001, (("rd", f_c_rd), ("imm", f_c_lui)), "{rd},{imm:hi20}",
   ("lui", {"rd": "rd", "imm": "imm"}), valid=lambda f: f["imm"] != 0 and f["rd"] != 2)
_c("c.srli", 0xEC03, 0x8001, CB_SH, "{rd},{shamt:hex}",
   ("srli", {"rd": "rd", "rs1": "rd", "shamt": "shamt"}), RV32, valid=_rv32_shamt)
_c("c.srli", 0xEC03, 0x8001, CB_SH, "{rd},{shamt:hex}",
   ("srli", {"rd": "rd", "rs1": "rd", "shamt": "shamt"}), RV64)
_c("c.srai", 0xEC03, 0x8401, CB_SH, "{rd},{shamt:hex}",
   ("srai", {"rd": "rd", "rs1": "rd", "shamt": "shamt"}), RV32, valid=_rv32_shamt)
_c("c.srai", 0xEC03, 0x8401, CB_SH, "{rd},{shamt:hex}",
   ("srai", {"rd": "rd", "rs1": "rd", "shamt": "shamt"}), RV64)
_c("c.andi", 0xEC03, 0x8801, (("rd", f_c_rs1p), ("imm", f_c_imm6)), "{rd},{imm}",
   ("andi", {"rd": "rd", "rs1": "rd", "imm": "imm"}))
for _n, _m, _base, _x in (("c.sub", 0x8C01, "sub", BOTH), ("c.xor", 0x8C21, "xor", BOTH),
                          ("c.or", 0x8C41, "or", BOTH), ("c.and", 0x8C61, "and", BOTH),
                          ("c.subw", 0x9C01, "subw", RV64), ("c.addw", 0x9C21, "addw", RV64)):
    _c(_n, 0xFC63, _m, CA, "{rd},{rs2}", (_base, {"rd": "rd", "rs1": "rd", "rs2": "rs2"}), _x)
_c("c.j", 0xE003, 0xA001, CJ, "{imm:target}", ("jal", {"rd": 0, "imm": "imm"}),
   tags=("jump", "pcrel"))
_c("c.beqz", 0xE003, 0xC001, CB, "{rs1},{imm:target}",
   ("beq", {"rs1": "rs1", "rs2": 0, "imm": "imm"}), tags=("branch", "pcrel"))
_c("c.bnez", 0xE003, 0xE001, CB, "{rs1},{imm:target}",
   ("bne", {"rs1": "rs1", "rs2": 0, "imm": "imm"}), tags=("branch", "pcrel"))

# Quadrant 2. Order matters in the 100 group: c.ebreak, c.jalr, c.add; c.jr, c.mv.
_c("c.slli", 0xE003, 0x0002, (("rd", f_c_rd), ("shamt", f_c_uimm6)), "{rd},{shamt:hex}",
   ("slli", {"rd": "rd", "rs1": "rd", "shamt": "shamt"}), RV32, valid=_rv32_shamt)
_c("c.slli", 0xE003, 0x0002, (("rd", f_c_rd), ("shamt", f_c_uimm6)), "{rd},{shamt:hex}",
   ("slli", {"rd": "rd", "rs1": "rd", "shamt": "shamt"}), RV64)
_c("c.lwsp", 0xE003, 0x4002, (("rd", f_c_rd), ("imm", f_c_lwsp)), "{rd},{imm}(x2)",
   ("lw", {"rd": "rd", "rs1": 2, "imm": "imm"}), valid=lambda f: f["rd"] != 0,
   tags=("load",))
_c("c.ldsp", 0xE003, 0x6002, (("rd", f_c_rd), ("imm", f_c_ldsp)), "{rd},{imm}(x2)",
   ("ld", {"rd": "rd", "rs1": 2, "imm": "imm"}), RV64, valid=lambda f: f["rd"] != 0,
   tags=("load",))
_c("c.ebreak", 0xFFFF, 0x9002, (), "", ("ebreak", {}), tags=("system",))
_c("c.jalr", 0xF07F, 0x9002, CR1, "{rs1}", ("jalr", {"rd": 1, "rs1": "rs1", "imm": 0}),
   valid=lambda f: f["rs1"] != 0, tags=("jump",))
_c("c.add", 0xF003, 0x9002, CR, "{rd},{rs2}", ("add", {"rd": "rd", "rs1": "rd", "rs2": "rs2"}),
   valid=lambda f: f["rs2"] != 0)
_c("c.jr", 0xF07F, 0x8002, CR1, "{rs1}", ("jalr", {"rd": 0, "rs1": "rs1", "imm": 0}),
   valid=lambda f: f["rs1"] != 0, tags=("jump",))
_c("c.mv", 0xF003, 0x8002, CR, "{rd},{rs2}", ("add", {"rd": "rd", "rs1": 0, "rs2": "rs2"}),
   valid=lambda f: f["rs2"] != 0)
_c("c.swsp", 0xE003, 0xC002, (("rs2", f_c_rs2), ("imm", f_c_swsp)), "{rs2},{imm}(x2)",
   ("sw", {"rs1": 2, "rs2": "rs2", "imm": "imm"}), tags=("store",))
_c("c.sdsp", 0xE003, 0xE002, (("rs2", f_c_rs2), ("imm", f_c_sdsp)), "{rs2},{imm}(x2)",
   ("sd", {"rs1": 2, "rs2": "rs2", "imm": "imm"}), RV64, tags=("store",))


# ------------------------------------------------------------------------ CSRs
# Number -> name for every CSR the platform defines (PLATFORM.md), in objdump's spelling.
# Which of them exist in a given configuration (PMP entries, triggers, Xspc, RV32 "h"
# halves) is decided by the model/RTL from CoreConfig; this is the naming table.
CSRS = {
    0xC00: "cycle", 0xC01: "time", 0xC02: "instret",
    0xC80: "cycleh", 0xC81: "timeh", 0xC82: "instreth",
    0xF11: "mvendorid", 0xF12: "marchid", 0xF13: "mimpid", 0xF14: "mhartid",
    0x300: "mstatus", 0x301: "misa", 0x304: "mie", 0x305: "mtvec", 0x306: "mcounteren",
    0x340: "mscratch", 0x341: "mepc", 0x342: "mcause", 0x343: "mtval", 0x344: "mip",
    0xB00: "mcycle", 0xB02: "minstret", 0xB80: "mcycleh", 0xB82: "minstreth",
    0x7A0: "tselect", 0x7A1: "tdata1", 0x7A2: "tdata2", 0x7A4: "tinfo",
    # Xspc (EXTENSIONS.md); objdump does not know them and prints the number.
    0x7C0: "spc", 0x7C1: "spctrig", 0x7C2: "mspc", 0x7C3: "mspctrig",
}
CSRS.update({0x3A0 + i: f"pmpcfg{i}" for i in range(16)})
CSRS.update({0x3B0 + i: f"pmpaddr{i}" for i in range(64)})
CSR_NUMBERS = {name: num for num, name in CSRS.items()}
XSPC_CSRS = frozenset((0x7C0, 0x7C1, 0x7C2, 0x7C3))

ABI_NAMES = ("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 "
             "s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6").split()


# ---------------------------------------------------------------------- decoding

def insn_length(low16: int) -> Optional[int]:
    """Length in bytes from the first 16-bit parcel (RISC-V length encoding).

    Returns None for the 64-bit-and-longer encodings, which this core does not have.
    """
    if low16 & 0b11 != 0b11:
        return 2
    if low16 & 0b11100 != 0b11100:
        return 4
    if low16 & 0b111111 == 0b011111:
        return 6
    return None


def _bucket_key(length: int, b: int) -> tuple:
    # The bits every row of a given length matches on: opcode for 32-bit,
    # quadrant + funct3 for 16-bit, the length code for 48-bit.
    if length == 2:
        return (2, b & 0xE003)
    if length == 4:
        return (4, b & 0x7F)
    return (6, b & 0x3F)


_KEY_MASK = {2: 0xE003, 4: 0x7F, 6: 0x3F}
_BUCKETS: dict = {}
for _spec in INSNS:
    assert _spec.mask & _KEY_MASK[_spec.length] == _KEY_MASK[_spec.length], _spec.name
    _BUCKETS.setdefault(_bucket_key(_spec.length, _spec.match), []).append(_spec)


def decode(b: int, xlen: int, exts=None) -> Optional[Decoded]:
    """Decode an instruction (its low `length` bytes in `b`).

    exts: the enabled extension names (None = all). Returns None when the encoding is
    illegal in this configuration: unknown, reserved, or of a disabled extension.
    """
    length = insn_length(b & 0xFFFF)
    if length is None:
        return None
    b &= (1 << (8 * length)) - 1
    for spec in _BUCKETS.get(_bucket_key(length, b), ()):
        if b & spec.mask != spec.match or xlen not in spec.xlens:
            continue
        if exts is not None and spec.ext not in exts:
            continue
        f = spec.fields_of(b)
        if spec.valid is not None and not spec.valid(f):
            continue
        return Decoded(spec, f, b)
    return None


BY_NAME: dict = {}
for _spec in INSNS:
    BY_NAME.setdefault(_spec.name, []).append(_spec)


def spec_named(name: str, xlen: int) -> InsnSpec:
    """The row of `name` that exists on `xlen` (KeyError if none)."""
    for spec in BY_NAME[name]:
        if xlen in spec.xlens:
            return spec
    raise KeyError(f"{name} does not exist on RV{xlen}")


def expand(d: Decoded) -> tuple:
    """The 32-bit instruction a compressed one stands for: (name, fields)."""
    name, mapping = d.spec.expands_to
    return name, {k: (d.f[v] if isinstance(v, str) else v) for k, v in mapping.items()}
