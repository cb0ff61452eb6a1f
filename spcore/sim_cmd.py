"""`spcore sim` (`make sim`): build the demo and run it on the RTL in lockstep.

The demo is sim/programs/demo.S (a trap, c.jall, a lrw2spc detour, a timer interrupt);
it runs on the SoC in Amaranth's simulator with every retirement compared to the
golden model, then a summary (instructions, cycles, CPI, stall counters) is printed.
"""
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

from .config import CoreConfig
from .elf import load_elf
from .errors import SpcoreError

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "sim" / "programs" / "demo.S"


def add_arguments(p):
    p.add_argument("--xlen", type=int, choices=(32, 64), default=32)


def build_demo(xlen):
    out = ROOT / "build" / "sim" / f"demo-rv{xlen}.elf"
    out.parent.mkdir(parents=True, exist_ok=True)
    abi = "ilp32" if xlen == 32 else "lp64"
    cmd = ["riscv64-unknown-elf-gcc", f"-march=rv{xlen}imc_zicsr", f"-mabi={abi}",
           "-mcmodel=medany", "-nostdlib", "-nostartfiles", f"-I{ROOT / 'sw' / 'include'}",
           "-Wl,-N",
           "-Wl,-Ttext=0x80000000", "-Wl,--no-warn-rwx-segments", "-o", str(out), str(DEMO)]
    try:
        r = subprocess.run(cmd, capture_output=True, text=True)
    except FileNotFoundError:
        raise SpcoreError("riscv64-unknown-elf-gcc not found: run `make deps`") from None
    if r.returncode:
        raise SpcoreError(f"demo build failed: {r.stderr.strip()}")
    return out


def main(args):
    from .sim.bench import run_rtl
    elf = build_demo(args.xlen)
    program = load_elf(elf)
    config = CoreConfig(xlen=args.xlen)
    t = time.perf_counter()
    result = run_rtl(program, config, Namespace(ram_size=None, max_cycles=100_000),
                     echo=sys.stdout)
    dt = time.perf_counter() - t
    print(f"\n{result.status}: {result.instret} instructions checked in lockstep, "
          f"{result.cycles} cycles, CPI {result.extra.get('cpi')}, {dt:.1f} s "
          f"({result.instret / dt:.0f} checked instr/s, Amaranth simulator)")
    perf = {k[5:]: v for k, v in result.extra.items() if k.startswith("perf_")}
    if perf:
        print("stall/flush cycles: " + ", ".join(f"{k} {v}" for k, v in perf.items()))
    if result.message:
        print(result.message)
    return 0 if result.passed else 1
