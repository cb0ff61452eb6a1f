"""Xjall: the 48-bit `c.jall rd, target` (EXTENSIONS.md)."""
from spcore.disasm import jall_target

from .traps import MISALIGNED_FETCH, Trap


def c_jall(m, f, pc, n):
    """t = S ? sext(imm32) : zext(imm32); t odd -> misaligned fetch; rd = pc + 6; pc = t."""
    target = jall_target(f, m.xlen)
    rd, x, link = f["rd"] or 32, m.x, (pc + 6) & m.mask

    def run():
        if target & 1:
            raise Trap(MISALIGNED_FETCH, target)
        x[rd] = link
        return target
    return run
