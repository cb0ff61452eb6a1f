"""Xspc: the shadow program counter (EXTENSIONS.md).

State: spc, spctrig (bit 0 = armed), and their trap-entry copies mspc, mspctrig.
`lrw2spc` loads spc from pc + offset and arms the trigger at that address; when an
instruction retires without a trap and its next pc equals the trigger address, the
next pc becomes spc and the trigger is disarmed (done in Machine after each retirement).
"""
from .traps import MISALIGNED_LOAD, Trap

SPC, SPCTRIG, MSPC, MSPCTRIG = 0x7C0, 0x7C1, 0x7C2, 0x7C3


class ShadowPc:
    __slots__ = ("spc", "spctrig", "mspc", "mspctrig")

    def __init__(self):
        self.spc = self.spctrig = self.mspc = self.mspctrig = 0   # all reset to 0: disarmed

    def on_trap(self):
        self.mspc, self.mspctrig = self.spc, self.spctrig
        self.spctrig &= ~1

    def on_mret(self):
        self.spc, self.spctrig = self.mspc, self.mspctrig


def lrw2spc(m, f, pc, n):
    """spc = load_XLEN(pc + sext(offset)); spctrig = that address | 1."""
    offset, nbytes, mask, spc = f["imm"], m.xlen // 8, m.mask, m.spc

    def run():
        a = (pc + offset) & mask
        if a % nbytes:
            raise Trap(MISALIGNED_LOAD, a)
        value = m.mem_load(a, nbytes)          # raises load-access-fault; CSRs untouched
        spc.spc = value
        spc.spctrig = a | 1
        return pc + n
    return run
