"""Instruction semantics: one short builder per instruction, named after it.

A builder takes (machine, fields, pc, length) once per decoded instruction address and
returns a closure that executes the instruction and returns the next pc (or raises
Trap). Fields are the ISA table's semantic values (spcore.isa); compressed
instructions arrive already expanded. Register index 32 is a write sink that stands for
x0 as a destination, so no closure tests for rd == 0.
"""
from .jall import c_jall
from .spc import lrw2spc
from .traps import BREAKPOINT, ECALL_M, ECALL_U, ILLEGAL_INSN, Trap

SEMANTICS = {}


def semantics(*names):
    def register(builder):
        for name in names:
            SEMANTICS[name] = builder
        return builder
    return register


SEMANTICS["lrw2spc"] = lrw2spc
SEMANTICS["c.jall"] = c_jall


def _rd(f):
    return f["rd"] or 32


# ------------------------------------------------------------------ integer ALU
# Operands arrive as unsigned XLEN-bit values; `s(v)` is their signed reading and
# `xlen` their width. Results are masked to XLEN by the builder.
def _alu_ops(xlen):
    sign = 1 << (xlen - 1)
    smask = xlen - 1

    def s(v):
        return (v ^ sign) - sign

    def div(a, b):
        if b == 0:
            return -1
        q = abs(a) // abs(b)
        return -q if (a < 0) != (b < 0) else q

    def rem(a, b):
        if b == 0:
            return a
        r = abs(a) % abs(b)
        return -r if a < 0 else r

    return {
        "add": lambda a, b: a + b,
        "sub": lambda a, b: a - b,
        "sll": lambda a, b: a << (b & smask),
        "slt": lambda a, b: int(s(a) < s(b)),
        "sltu": lambda a, b: int(a < b),
        "xor": lambda a, b: a ^ b,
        "srl": lambda a, b: a >> (b & smask),
        "sra": lambda a, b: s(a) >> (b & smask),
        "or": lambda a, b: a | b,
        "and": lambda a, b: a & b,
        "mul": lambda a, b: a * b,
        "mulh": lambda a, b: (s(a) * s(b)) >> xlen,
        "mulhsu": lambda a, b: (s(a) * b) >> xlen,
        "mulhu": lambda a, b: (a * b) >> xlen,
        # signed overflow (most negative / -1) falls out: the quotient is masked back
        # to the most negative number and the remainder is 0.
        "div": lambda a, b: div(s(a), s(b)),
        "divu": lambda a, b: a // b if b else -1,
        "rem": lambda a, b: rem(s(a), s(b)),
        "remu": lambda a, b: a % b if b else a,
    }


def _s32(v):
    v &= 0xFFFFFFFF
    return (v ^ 0x80000000) - 0x80000000


# RV64 "W" operations: 32-bit operation, result sign-extended from bit 31.
WORD_OPS = {
    "addw": lambda a, b: _s32(a + b),
    "subw": lambda a, b: _s32(a - b),
    "sllw": lambda a, b: _s32(a << (b & 31)),
    "srlw": lambda a, b: _s32((a & 0xFFFFFFFF) >> (b & 31)),
    "sraw": lambda a, b: _s32(a) >> (b & 31),
    "mulw": lambda a, b: _s32(a * b),
    "divw": lambda a, b: _s32(_div32(_s32(a), _s32(b))),
    "divuw": lambda a, b: _s32((a & 0xFFFFFFFF) // (b & 0xFFFFFFFF)) if b & 0xFFFFFFFF else -1,
    "remw": lambda a, b: _s32(_rem32(_s32(a), _s32(b))),
    "remuw": lambda a, b: _s32((a & 0xFFFFFFFF) % (b & 0xFFFFFFFF)) if b & 0xFFFFFFFF else _s32(a),
}


def _div32(a, b):
    if b == 0:
        return -1
    q = abs(a) // abs(b)
    return -q if (a < 0) != (b < 0) else q


def _rem32(a, b):
    if b == 0:
        return a
    r = abs(a) % abs(b)
    return -r if a < 0 else r


# Integer operations as Python expressions over a = rs1 value and b = rs2 value (or the
# immediate), both unsigned XLEN-bit; `sign` = 1 << (XLEN-1), `sh` = XLEN-1. Each
# expression is compiled once into its own closure builder (no operator call per
# instruction); the result is masked to XLEN, and W forms sign-extend bit 31 first.
BASE_EXPR = {
    "add": "a + b", "sub": "a - b", "xor": "a ^ b", "or": "a | b", "and": "a & b",
    "sll": "a << (b & sh)", "srl": "a >> (b & sh)", "sra": "((a ^ sign) - sign) >> (b & sh)",
    "slt": "1 if (a ^ sign) < (b ^ sign) else 0", "sltu": "1 if a < b else 0",
    "mul": "a * b",
}
WORD_EXPR = {
    "addw": "a + b", "subw": "a - b", "mulw": "a * b", "sllw": "a << (b & 31)",
    "srlw": "(a & 0xFFFFFFFF) >> (b & 31)",
    "sraw": "(((a & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000) >> (b & 31)",
}
IMM_FORMS = {"addi": "add", "slti": "slt", "sltiu": "sltu", "xori": "xor", "ori": "or",
             "andi": "and", "slli": "sll", "srli": "srl", "srai": "sra",
             "addiw": "addw", "slliw": "sllw", "srliw": "srlw", "sraiw": "sraw"}

_TEMPLATE = """
def build(m, f, pc, n):
    x, rd, rs1, mask, nxt = m.x, _rd(f), f["rs1"], m.mask, (pc + n) & m.mask
    sh, sign = m.xlen - 1, 1 << (m.xlen - 1)
    {operand}

    def run():
        a = x[rs1]{read_b}
        x[rd] = {result} & mask
        return nxt
    return run
"""


def _compiled_builder(expr, word, immediate):
    result = f"(((({expr}) & 0xFFFFFFFF) ^ 0x80000000) - 0x80000000)" if word else f"({expr})"
    src = _TEMPLATE.format(
        operand="b = (f['imm'] if 'imm' in f else f['shamt']) & mask" if immediate
        else "rs2 = f['rs2']",
        read_b="" if immediate else "; b = x[rs2]", result=result)
    scope = {"_rd": _rd}
    exec(src, scope)
    return scope["build"]


def _reg_reg_call(name):
    """mulh*, div*, rem*: rare and branchy, so they keep a helper function."""
    def build(m, f, pc, n):
        op = m.alu[name] if name in m.alu else WORD_OPS[name]
        x, rd, rs1, rs2, mask, nxt = m.x, _rd(f), f["rs1"], f["rs2"], m.mask, (pc + n) & m.mask

        def run():
            x[rd] = op(x[rs1], x[rs2]) & mask
            return nxt
        return run
    return build


def _register_alu():
    for name in list(_alu_ops(32)) + list(WORD_OPS):
        SEMANTICS[name] = _reg_reg_call(name)
    for table, word in ((BASE_EXPR, False), (WORD_EXPR, True)):
        for name, expr in table.items():
            SEMANTICS[name] = _compiled_builder(expr, word, False)
    for imm_name, op_name in IMM_FORMS.items():
        word = op_name in WORD_EXPR
        expr = WORD_EXPR[op_name] if word else BASE_EXPR[op_name]
        SEMANTICS[imm_name] = _compiled_builder(expr, word, True)


_register_alu()


def _write_constant(value_of):
    """lui and auipc: rd gets a value known when the instruction is decoded."""
    def build(m, f, pc, n):
        x, rd, value, nxt = m.x, _rd(f), value_of(f, pc) & m.mask, (pc + n) & m.mask

        def run():
            x[rd] = value
            return nxt
        return run
    return build


SEMANTICS["lui"] = _write_constant(lambda f, pc: f["imm"])
SEMANTICS["auipc"] = _write_constant(lambda f, pc: pc + f["imm"])


# ------------------------------------------------------------------ control flow
@semantics("jal")
def jal(m, f, pc, n):
    x, rd, target, link = m.x, _rd(f), (pc + f["imm"]) & m.mask, (pc + n) & m.mask

    def run():
        x[rd] = link
        return target
    return run


@semantics("jalr")
def jalr(m, f, pc, n):
    x, rd, rs1, imm, mask, link = m.x, _rd(f), f["rs1"], f["imm"], m.mask, (pc + n) & m.mask

    def run():
        target = (x[rs1] + imm) & mask & ~1      # read rs1 before writing rd (rd may be rs1)
        x[rd] = link
        return target
    return run


# Branch conditions over a = rs1, b = rs2 (unsigned XLEN-bit; `sign` flips to signed order).
BRANCH_EXPR = {"beq": "a == b", "bne": "a != b", "blt": "(a ^ sign) < (b ^ sign)",
               "bge": "(a ^ sign) >= (b ^ sign)", "bltu": "a < b", "bgeu": "a >= b"}

_BRANCH_TEMPLATE = """
def build(m, f, pc, n):
    x, rs1, rs2 = m.x, f["rs1"], f["rs2"]
    taken, fall = (pc + f["imm"]) & m.mask, (pc + n) & m.mask
    sign = 1 << (m.xlen - 1)

    def run():
        a = x[rs1]; b = x[rs2]
        return taken if {cond} else fall
    return run
"""


def _branch_builder(cond):
    scope = {}
    exec(_BRANCH_TEMPLATE.format(cond=cond), scope)
    return scope["build"]


for _name, _cond in BRANCH_EXPR.items():
    SEMANTICS[_name] = _branch_builder(_cond)


# ------------------------------------------------------------------ loads and stores
LOADS = {"lb": (1, True), "lh": (2, True), "lw": (4, True), "ld": (8, True),
         "lbu": (1, False), "lhu": (2, False), "lwu": (4, False)}
STORES = {"sb": 1, "sh": 2, "sw": 4, "sd": 8}


def _load(size, signed):
    def build(m, f, pc, n):
        x, rd, rs1, imm, mask, nxt = m.x, _rd(f), f["rs1"], f["imm"], m.mask, (pc + n) & m.mask
        ram, base, last, load = m.ram, m.bus.ram_base, m.ram_last - size, m.mem_load
        sign, align, rmask = 1 << (8 * size - 1), size - 1, (1 << size) - 1

        def run():
            a = (x[rs1] + imm) & mask
            o = a - base
            # Fast path: aligned RAM access with no PMP/trigger check in force.
            if 0 <= o <= last and not a & align and not m.data_checks:
                v = int.from_bytes(ram[o:o + size], "little")
                m.mem = (a, rmask, 0, v, 0)
            else:
                v = load(a, size)
            x[rd] = ((v ^ sign) - sign) & mask if signed else v
            return nxt
        return run
    return build


def _store(size):
    def build(m, f, pc, n):
        x, rs1, rs2, imm, mask, nxt = m.x, f["rs1"], f["rs2"], f["imm"], m.mask, (pc + n) & m.mask
        ram, base, last, store = m.ram, m.bus.ram_base, m.ram_last - size, m.mem_store
        code_words, th = m.code_words, m.tohost
        vmask, align, wmask = (1 << (8 * size)) - 1, size - 1, (1 << size) - 1
        # tohost is fixed once a program is loaded; stores that may touch it take the slow path
        lo, hi = (th - size + 1, th + 8) if th is not None else (1, 0)

        def run():
            a = (x[rs1] + imm) & mask
            o = a - base
            if 0 <= o <= last and not a & align and not m.data_checks and not lo <= a < hi \
                    and (a >> 2) not in code_words and ((a + size - 1) >> 2) not in code_words:
                v = x[rs2] & vmask
                ram[o:o + size] = v.to_bytes(size, "little")
                m.mem = (a, 0, wmask, 0, v)
            else:
                store(a, size, x[rs2] & vmask)
            return nxt
        return run
    return build


for _name, (_size, _signed) in LOADS.items():
    SEMANTICS[_name] = _load(_size, _signed)
for _name, _size in STORES.items():
    SEMANTICS[_name] = _store(_size)


# ------------------------------------------------------------------ system
@semantics("fence")
def fence(m, f, pc, n):
    return lambda: pc + n                          # one hart, in-order memory: a no-op


@semantics("fence.i")
def fence_i(m, f, pc, n):
    def run():
        m.flush_decode_cache()                     # later fetches see stored code
        return pc + n
    return run


@semantics("ecall")
def ecall(m, f, pc, n):
    def run():
        raise Trap(ECALL_M if m.mode == 3 else ECALL_U)
    return run


@semantics("ebreak")
def ebreak(m, f, pc, n):
    def run():
        raise Trap(BREAKPOINT, pc)                 # PLATFORM.md: mtval = pc
    return run


@semantics("mret")
def mret(m, f, pc, n):
    def run():
        if m.mode != 3:
            raise Trap(ILLEGAL_INSN)
        return m.mret()
    return run


@semantics("wfi")
def wfi(m, f, pc, n):
    def run():
        # U-mode: legal unless mstatus.TW (there is no S-mode to defer to).
        if m.mode != 3 and m.csr.mstatus & (1 << 21):
            raise Trap(ILLEGAL_INSN)
        m.wait_for_interrupt()
        return pc + n
    return run


def _csr(kind, immediate):
    """csrrw/csrrs/csrrc and their immediate forms (Zicsr)."""
    def build(m, f, pc, n):
        x, rd, num, mask, csr = m.x, _rd(f), f["csr"], m.mask, m.csr
        src = f["zimm"] if immediate else f["rs1"]
        # csrrs/csrrc with x0 / zimm 0 do not write (no side effects, no RO trap).
        writes = kind == "w" or src != 0

        def run():
            reader, writer = csr.access(num, m.mode, writes)
            old = reader() & mask
            operand = src if immediate else x[src]
            if writes:
                new = operand if kind == "w" else (old | operand if kind == "s" else old & ~operand)
                writer(new & mask)
            x[rd] = old
            return pc + n
        return run
    return build


for _kind in "wsc":
    SEMANTICS["csrr" + _kind] = _csr(_kind, False)
    SEMANTICS["csrr" + _kind + "i"] = _csr(_kind, True)
