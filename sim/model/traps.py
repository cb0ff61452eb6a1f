"""Trap causes (privileged spec, table 3.6) and the exception that carries one."""

MISALIGNED_FETCH = 0
FETCH_ACCESS = 1
ILLEGAL_INSN = 2
BREAKPOINT = 3
MISALIGNED_LOAD = 4
LOAD_ACCESS = 5
MISALIGNED_STORE = 6
STORE_ACCESS = 7
ECALL_U = 8
ECALL_M = 11

# Interrupt numbers (mip/mie bit and mcause code), in priority order MEI > MSI > MTI.
IRQ_MSI = 3
IRQ_MTI = 7
IRQ_MEI = 11
IRQ_PRIORITY = (IRQ_MEI, IRQ_MSI, IRQ_MTI)


class Trap(Exception):
    """A synchronous exception raised while executing one instruction."""

    __slots__ = ("cause", "tval")

    def __init__(self, cause: int, tval: int = 0):
        self.cause = cause
        self.tval = tval


class Halt(Exception):
    """The program ended (tohost or the sim-exit register); the store retires."""

    def __init__(self, code: int, via: str):
        self.code = code
        self.via = via
