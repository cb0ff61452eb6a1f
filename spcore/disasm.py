"""Disassembler driven by the ISA table (spcore.isa): no instruction is named here.

Two styles:
- "abi" (default, for people): ABI register names, `0x` targets, ", " separators,
  e.g. `c.jall  t0, 0x80001234`.
- "objdump": what `riscv64-unknown-elf-objdump -d -M no-aliases,numeric` prints, so the
  two can be compared instruction by instruction: `x` registers, bare hex targets,
  mnemonic and operands separated by a tab.
"""
import re

from .isa import ABI_NAMES, CSRS, XSPC_CSRS, decode, insn_length

_PLACEHOLDER = re.compile(r"\{(\w+)(?::(\w+))?\}")
_REG_FIELDS = frozenset(("rd", "rs1", "rs2"))
# Fixed register operands written into syntax strings (c.addi4spn's "x2" and friends).
_FIXED_REG = re.compile(r"\bx(\d+)\b")


# Standard CSRs the platform does not have but that programs name (the riscv-tests 'p'
# environment probes them, PLATFORM.md); objdump prints these names (found by
# tests/test_disasm_objdump.py).
_OTHER_CSRS = {0x100: "sstatus", 0x104: "sie", 0x105: "stvec", 0x106: "scounteren",
               0x140: "sscratch", 0x141: "sepc", 0x142: "scause", 0x143: "stval",
               0x144: "sip", 0x180: "satp", 0x302: "medeleg", 0x303: "mideleg",
               0x320: "mcountinhibit"}


def _fence_set(v: int) -> str:
    s = "".join(c for c, m in zip("iorw", (8, 4, 2, 1)) if v & m)
    return s or "0"


class _Formatter:
    def __init__(self, style, xlen, pc, symbolize):
        self.abi = style != "objdump"
        self.xlen = xlen
        self.pc = pc
        self.symbolize = symbolize

    def reg(self, n):
        return ABI_NAMES[n] if self.abi else f"x{n}"

    def address(self, addr):
        addr &= (1 << self.xlen) - 1
        text = f"0x{addr:x}" if self.abi else f"{addr:x}"
        if self.symbolize is not None:
            sym = self.symbolize(addr)
            if sym:
                text += f" <{sym}>"
        return text

    def csr(self, num):
        name = CSRS.get(num) or _OTHER_CSRS.get(num)
        if name is None or (not self.abi and num in XSPC_CSRS):
            return f"0x{num:x}"
        return name

    def field(self, d, name, kind):
        v = d.f[name]
        if kind is None:
            if name in _REG_FIELDS:
                return self.reg(v)
            if name in ("pred", "succ"):
                return _fence_set(v)
            if name == "csr":
                return self.csr(v)
            return str(v)
        if kind == "hex":
            return f"0x{v:x}"
        if kind == "hi20":
            return f"0x{(v >> 12) & 0xFFFFF:x}"
        if kind == "target":
            return self.address(self.pc + v)
        if kind == "jall":
            return self.address(jall_target(d.f, self.xlen))
        if kind == "csr":
            return self.csr(v)
        if kind == "fence":
            return _fence_set(v)
        raise ValueError(f"unknown operand kind {kind!r}")


def jall_target(f: dict, xlen: int) -> int:
    """c.jall target: S ? sext(imm32) : zext(imm32), as an XLEN-bit address."""
    t = f["imm32"]
    if f["s"] and t & 0x8000_0000:
        t -= 1 << 32
    return t & ((1 << xlen) - 1)


def format_decoded(d, pc=0, xlen=64, style="abi", symbolize=None) -> str:
    fmt = _Formatter(style, xlen, pc, symbolize)
    name = d.spec.name
    if name == "fence" and d.f["fm"] == 0b1000 and d.f["pred"] == d.f["succ"] == 0b0011:
        return "fence.tso"
    ops = _PLACEHOLDER.sub(lambda m: fmt.field(d, m.group(1), m.group(2)), d.spec.syntax)
    if fmt.abi:
        ops = _FIXED_REG.sub(lambda m: ABI_NAMES[int(m.group(1))], ops).replace(",", ", ")
        return f"{name:<7} {ops}".rstrip()
    return f"{name}\t{ops}" if ops else name


def disasm(b: int, pc: int = 0, xlen: int = 64, style: str = "abi", symbolize=None,
           exts=None) -> str:
    """Disassemble one instruction given as an int holding its (at least) first bytes."""
    d = decode(b, xlen, exts)
    if d is None:
        if b & 0xFFFF == 0:
            return "c.unimp"            # the defined illegal instruction, as objdump names it
        length = insn_length(b & 0xFFFF) or 2
        raw = b & ((1 << (8 * length)) - 1)
        return f".insn\t{length}, 0x{raw:0{2 * length}x}" if style == "objdump" \
            else f"unknown 0x{raw:0{2 * length}x}"
    return format_decoded(d, pc, xlen, style, symbolize)
