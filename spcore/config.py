"""Core configuration shared by the golden model and the RTL generator.

Every option is an elaboration-time parameter; nothing is global.
"""
import argparse
from dataclasses import dataclass, replace

from .platform import RAM_SIZE_DEFAULT, RAM_SIZE_MAX, RAM_SIZE_MIN


# The RTL's multiplier builds (hdl/units/multiplier.py): the same results, the iterative
# one in xlen + 1 extra cycles per multiply; the golden model has no cycles, so both
# run against it unchanged.
MULTIPLIERS = ("single-cycle", "iterative")


def add_core_arguments(p, extensions=True, multiplier=True):
    """The command-line options that choose the core, spelled the same in every command."""
    if extensions:
        p.add_argument("--no-spc", action="store_true",
                       help="a core without Xspc (lrw2spc, the spc CSRs)")
        p.add_argument("--no-jall", action="store_true", help="a core without Xjall (c.jall)")
    if multiplier:
        p.add_argument("--multiplier", choices=MULTIPLIERS, default="single-cycle",
                       help="RTL multiplier: single-cycle (DSP blocks) or iterative (xlen + 2 "
                            "cycles in EX, few LUTs; the iCE40 builds' one)")


def ram_size_problem(n):
    """Why `n` is no RAM size (None if it is one): a power of two from 4 KiB to 256 MiB,
    since the RTL's RAM banks want the power of two (every command's --ram-size)."""
    if n < RAM_SIZE_MIN or n > RAM_SIZE_MAX or n & (n - 1):
        return (f"must be a power of two from {RAM_SIZE_MIN} to {RAM_SIZE_MAX:#x} bytes, "
                f"not {n}")
    return None


def _int_arg(text):
    try:
        return int(text, 0)                  # 0x100000 and 1_048_576 too
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def ram_size_arg(text):
    """argparse type of --ram-size (ram_size_problem)."""
    n = _int_arg(text)
    problem = ram_size_problem(n)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return n


def positive_int(text):
    """argparse type of budgets and counts (--max-insns, --max-cycles, --seeds, --hits)."""
    n = _int_arg(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {text}")
    return n


@dataclass(frozen=True)
class CoreConfig:
    xlen: int = 32                 # 32 or 64
    spc: bool = True               # Xspc: shadow PC CSRs and lrw2spc
    jall: bool = True              # Xjall: 48-bit c.jall
    rvfi: bool = True              # retirement port (co-simulation); off for synthesis
    pmp_entries: int = 4           # 0 or 4..16
    triggers: int = 2              # Sdtrig mcontrol6 triggers
    multiplier: str = "single-cycle"   # RTL only: or "iterative" (FPGAs without DSPs)
    ram_size: int = RAM_SIZE_DEFAULT

    def __post_init__(self):
        if self.xlen not in (32, 64):
            raise ValueError(f"xlen must be 32 or 64, not {self.xlen}")
        if self.multiplier not in MULTIPLIERS:
            raise ValueError(f"multiplier must be one of {', '.join(MULTIPLIERS)}, "
                             f"not {self.multiplier!r}")

    @property
    def extensions(self) -> frozenset:
        """Extension names as used by the ISA table (spcore.isa)."""
        exts = {"I", "M", "C", "Zicsr", "Zifencei", "priv"}
        if self.spc:
            exts.add("Xspc")
        if self.jall:
            exts.add("Xjall")
        return frozenset(exts)

    def with_(self, **kw) -> "CoreConfig":
        return replace(self, **kw)
