"""`spcore coremark --dir DIR`: EEMBC's CoreMark on the golden model or the RTL.

CoreMark is not in this repository (its sources are EEMBC's): point `--dir` (or
COREMARK_DIR) at a checkout of github.com/eembc/coremark. Its five core_*.c files are built
with this project's port (sw/coremark/) as main() of the firmware (`spcore build`), run
with `spcore run`'s engines, and the console is checked: the CRCs CoreMark validates must
match (any ERROR line it prints fails the run), then CoreMark/MHz = iterations x 10^6 / ticks, where a tick is an mcycle count: a
clock cycle on the RTL, an instruction on the model (reported as such, never as cycles).
CoreMark's own "at least 10 secs" rule is for wall-clock timers and is ignored here: a
simulated cycle count is exact.
"""
import argparse
import json
import os
import re
import sys
from pathlib import Path

from .config import positive_int
from .errors import SpcoreError

ROOT = Path(__file__).resolve().parent.parent
PORT = ROOT / "sw" / "coremark"
SOURCES = ("core_list_join.c", "core_main.c", "core_matrix.c", "core_state.c", "core_util.c")


def add_arguments(p):
    p.add_argument("--dir", default=os.environ.get("COREMARK_DIR"), metavar="DIR",
                   help="CoreMark checkout (default: $COREMARK_DIR)")
    p.add_argument("--xlen", type=int, choices=(32, 64), default=32)
    p.add_argument("--engine", choices=("model", "rtl"), default="rtl")
    p.add_argument("--iterations", type=positive_int, default=10,
                   help="CoreMark iterations (default 10: ~4 M cycles on RV32)")
    p.add_argument("-O", dest="opt", choices=("1", "2", "s"), default="2")
    p.add_argument("--out", default="build/coremark", help="ELF and report folder")
    p.add_argument("--json", action="store_true", help="print a JSON summary as the last line")


def parse_console(text):
    """CoreMark's report -> ticks, iterations, CRCs and its error lines (all but the
    10-second rule, which a simulated cycle count does not need)."""
    out = {"errors": [line for line in text.splitlines()
                      if "ERROR" in line and "at least 10 secs" not in line]}
    for key, pattern in (("ticks", r"^Total ticks\s*:\s*(\d+)"),
                         ("iterations", r"^Iterations\s*:\s*(\d+)"),
                         ("size", r"^CoreMark Size\s*:\s*(\d+)")):
        m = re.search(pattern, text, re.M)
        out[key] = int(m.group(1)) if m else None
    for key in ("seedcrc", "crclist", "crcmatrix", "crcstate", "crcfinal"):
        m = re.search(rf"^(?:\[0\])?{key}\s*:\s*(0x[0-9a-f]+)", text, re.M)
        out[key] = m.group(1) if m else None
    return out


def main(args):
    if not args.dir:
        raise SpcoreError("no CoreMark sources: --dir DIR or COREMARK_DIR "
                          "(git clone https://github.com/eembc/coremark)")
    src = Path(args.dir)
    missing = [s for s in SOURCES + ("coremark.h",) if not (src / s).is_file()]
    if missing:
        raise SpcoreError(f"{src}: not a CoreMark checkout (missing {', '.join(missing)})")
    from .build import build_from_argv
    from .elf import load_elf
    from .runner import config_for, execute

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    elf = out / f"coremark-rv{args.xlen}.elf"
    build_from_argv(["--xlen", args.xlen, "-O", args.opt, "-I", src, "-I", PORT,
                     "-D", f"ITERATIONS={args.iterations}", "-D", "PERFORMANCE_RUN=1",
                     "-D", f'COMPILER_FLAGS="-O{args.opt} (spcore build)"',
                     *(src / s for s in SOURCES), PORT / "core_portme.c", "-o", elf])
    run_args = argparse.Namespace(engine=args.engine, ram_size=1 << 20, trace=None,
                                  signature=None, max_insns=50_000_000, no_spc=False,
                                  no_jall=False, multiplier="single-cycle", simulator=None,
                                  max_cycles=None, no_check=False, waves=None, pipeview=None)
    program = load_elf(str(elf))
    console = None if args.json else sys.stdout
    result = execute(program, config_for(program, run_args), run_args, console)
    if result.status not in ("pass", "fail"):        # a timeout or a lockstep mismatch
        raise SpcoreError(f"CoreMark did not finish on the {args.engine}: "
                          f"{result.status}: {result.message}")
    report = parse_console(result.console)
    unit = "cycles" if args.engine == "rtl" else "instructions (model: no timing)"
    if report["ticks"] is None or not report["iterations"]:
        raise SpcoreError("CoreMark printed no tick or iteration count")
    report.update(xlen=args.xlen, engine=args.engine, unit=unit, opt=f"-O{args.opt}",
                  per_iteration=round(report["ticks"] / report["iterations"]),
                  coremark_per_mhz=(round(report["iterations"] * 1e6 / report["ticks"], 3)
                                    if args.engine == "rtl" else None),
                  elf=str(elf))
    ok = not report["errors"]
    print(f"CoreMark RV{args.xlen} on the {args.engine}: "
          + ("CRCs validated" if ok else "WRONG RESULTS: " + "; ".join(report["errors"])))
    print(f"  {report['iterations']} iterations, {report['ticks']} {unit}, "
          f"{report['per_iteration']} per iteration"
          + (f": {report['coremark_per_mhz']} CoreMark/MHz" if report["coremark_per_mhz"]
             else ""))
    if args.json:
        print(json.dumps(report))
    return 0 if ok else 1
