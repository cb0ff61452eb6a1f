"""One retirement record, named as riscv-formal's RVFI (NRET = 1).

The golden model's `step()` returns one, the RTL bench decodes one from the RVFI port,
and the lockstep checker compares the two field by field.  Masks are byte masks over an
XLEN-wide, XLEN-aligned word, as in RVFI; `mem_addr` is the access address as issued
(riscv-formal allows either; spcore uses the unaligned address the instruction computed,
with rmask/wmask relative to it: bit i = byte mem_addr+i).
"""

FIELDS = (
    "order", "insn", "trap", "halt", "intr", "mode", "ixl",
    "rs1_addr", "rs2_addr", "rs1_rdata", "rs2_rdata",
    "rd_addr", "rd_wdata", "pc_rdata", "pc_wdata",
    "mem_addr", "mem_rmask", "mem_wmask", "mem_rdata", "mem_wdata",
)


class Retire:
    __slots__ = FIELDS

    def __init__(self, **kw):
        for f in FIELDS:
            setattr(self, f, kw.get(f, 0))

    def as_dict(self) -> dict:
        return {f: getattr(self, f) for f in FIELDS}

    def __eq__(self, other):
        return isinstance(other, Retire) and all(
            getattr(self, f) == getattr(other, f) for f in FIELDS)

    def __repr__(self):
        parts = [f"{f}={getattr(self, f):#x}" for f in FIELDS if getattr(self, f)]
        return "Retire(" + ", ".join(parts) + ")"
