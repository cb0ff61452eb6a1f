"""`spcore bench` (`make bench`): the project's numbers.

Sections run in order; each prints its own lines and adds rows to the JSON report.
Sections whose parts do not exist yet (e.g. the RTL bench) say so and are skipped.
"""
import argparse
import json
import sys
import time
from pathlib import Path

from .config import CoreConfig
from .elf import load_elf
from .errors import SpcoreError

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="print the report as one JSON line last")
    p.add_argument("--rounds", type=int, default=200, help="workload rounds (default 200)")


def build_workload(xlen, rounds):
    from . import build
    OUT.mkdir(parents=True, exist_ok=True)
    out = OUT / f"workload{xlen}.elf"
    parser = argparse.ArgumentParser()
    build.add_arguments(parser)                 # `spcore build`'s own defaults
    build.main(parser.parse_args([str(ROOT / "sw/bench/workload.c"), "--xlen", str(xlen),
                                  "-D", f"ROUNDS={rounds}", "-o", str(out)]))
    return out


def model_speed(args):
    """Golden-model instructions per second on the compiled workload (one core)."""
    from .sim.model import Machine
    rows = []
    for xlen in (32, 64):
        program = load_elf(build_workload(xlen, args.rounds))
        m = Machine(CoreConfig(xlen=xlen))
        m.load(program)
        t = time.perf_counter()
        result = m.run(200_000_000)
        dt = time.perf_counter() - t
        if not result.passed:
            raise SpcoreError(f"workload failed on the model: {result.status} {result.exit_code}")
        rate = result.instret / dt
        print(f"model RV{xlen}: {result.instret} instructions in {dt:.2f} s = "
              f"{rate / 1e6:.2f} M instr/s")
        rows.append({"name": "model-speed", "xlen": xlen, "instr_per_s": round(rate),
                     "instret": result.instret, "how": "Machine.run on sw/bench/workload.c"})
    return rows


SECTIONS = [("golden model speed", model_speed)]


def main(args):
    rows = []
    for title, fn in SECTIONS:
        print(f"== {title}")
        sys.stdout.flush()
        rows += fn(args)
    OUT.mkdir(parents=True, exist_ok=True)
    report = {"rows": rows}
    (OUT / "report.json").write_text(json.dumps(report, indent=1))
    if args.json:
        print(json.dumps(report))
    return 0
