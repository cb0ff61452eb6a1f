"""`spcore sim` (`make sim`): build the demo and run it on the RTL in lockstep.

The tracing demo (sw/demo/: every probe kind at once) runs on the SoC under
Verilator (Icarus when Verilator is missing; --simulator to choose) with every
retirement compared to the golden model; then a summary (instructions, cycles, CPI,
stall counters, checked instructions per second) is printed.
"""
import sys
import time
from argparse import Namespace
from pathlib import Path

from .config import CoreConfig
from .elf import load_elf

ROOT = Path(__file__).resolve().parents[1]


def add_arguments(p):
    p.add_argument("--xlen", type=int, choices=(32, 64), default=32)
    p.add_argument("--simulator", choices=("verilator", "icarus", "amaranth"), default=None,
                   help="default: verilator when installed, else icarus")


def build_demo(xlen):
    """The demo program of `make sim`: the tracing demo of sw/demo/ (every probe kind at
    once, jall ftrace sites, SPC optprobes), built as `spcore build` would."""
    from .build import build_from_argv
    out = ROOT / "build" / "sim" / f"tracing-demo-rv{xlen}.elf"
    out.parent.mkdir(parents=True, exist_ok=True)
    build_from_argv([ROOT / "sw/demo/demo.c", ROOT / "sw/demo/targets.S", "--xlen", xlen,
                     "--ftrace", "jall", "--optprobe", "spc", "-o", out])
    return out


def main(args):
    from .sim.bench import run_rtl
    elf = build_demo(args.xlen)
    program = load_elf(elf)
    config = CoreConfig(xlen=args.xlen)
    t = time.perf_counter()
    run_args = Namespace(ram_size=None, max_cycles=4_000_000, max_insns=2_000_000,
                         simulator=args.simulator)
    result = run_rtl(program, config, run_args, echo=sys.stdout)
    dt = time.perf_counter() - t
    engine = result.extra.get("engine", "rtl")
    rate = result.extra.get("instr_per_s")
    print(f"\n{result.status}: {result.instret} instructions checked in lockstep, "
          f"{result.cycles} cycles, CPI {result.extra.get('cpi')}, {dt:.1f} s with the "
          f"build ({engine}" + (f", {rate} checked instr/s while running)" if rate else ")"))
    perf = {k[5:]: v for k, v in result.extra.items() if k.startswith("perf_")}
    if perf:
        print("stall/flush cycles: " + ", ".join(f"{k} {v}" for k, v in perf.items()))
    if result.message:
        print(result.message)
    return 0 if result.passed else 1
