"""`spcore coremark --dir DIR`: EEMBC's CoreMark on the golden model or the RTL.

CoreMark is not in this repository (its sources are EEMBC's): point `--dir` (or
COREMARK_DIR) at a checkout of github.com/eembc/coremark. Its five core_*.c files are built
with this project's port (sw/coremark/) as main() of the firmware (`spcore build`), run
with `spcore run`'s engines, and the console is checked: the CRCs CoreMark validates must
match (any ERROR line it prints fails the run), then CoreMark/MHz = iterations x 10^6 /
ticks, where a tick is an mcycle count: a clock cycle on the RTL, an instruction on the
model (reported as such, never as cycles).
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

PORT = Path(__file__).resolve().parent.parent / "sw" / "coremark"
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


def check_sources(directory):
    if not directory:
        raise SpcoreError("no CoreMark sources: --dir DIR or COREMARK_DIR "
                          "(git clone https://github.com/eembc/coremark)")
    src = Path(directory)
    missing = [s for s in SOURCES + ("coremark.h",) if not (src / s).is_file()]
    if missing:
        raise SpcoreError(f"{src}: not a CoreMark checkout (missing {', '.join(missing)})")
    return src


def run_coremark(src, xlen, engine, iterations, out, opt="2", console=None):
    """Build and run CoreMark; -> the parsed report plus CoreMark/MHz (RTL only)."""
    from . import runner
    from .build import build_from_argv
    from .elf import load_elf

    Path(out).mkdir(parents=True, exist_ok=True)
    elf = Path(out) / f"coremark-rv{xlen}.elf"
    build_from_argv(["--xlen", xlen, "-O", opt, "-I", src, "-I", PORT,
                     "-D", f"ITERATIONS={iterations}", "-D", "PERFORMANCE_RUN=1",
                     "-D", f'COMPILER_FLAGS="-O{opt} (spcore build)"',
                     *(src / s for s in SOURCES), PORT / "core_portme.c", "-o", elf])
    parser = argparse.ArgumentParser()
    runner.add_arguments(parser)                 # `spcore run`'s defaults, in one place
    run_args = parser.parse_args([str(elf), "--engine", engine])
    program = load_elf(str(elf))
    result = runner.execute(program, runner.config_for(program, run_args), run_args, console)
    if result.status not in ("pass", "fail"):        # a timeout or a lockstep mismatch
        raise SpcoreError(f"CoreMark did not finish on the {engine}: "
                          f"{result.status}: {result.message}")
    report = parse_console(result.console)
    if report["ticks"] is None or not report["iterations"]:
        raise SpcoreError("CoreMark printed no tick or iteration count")
    unit = "cycles" if engine == "rtl" else "instructions (model: no timing)"
    report.update(xlen=xlen, engine=engine, unit=unit, opt=f"-O{opt}",
                  per_iteration=round(report["ticks"] / report["iterations"]),
                  coremark_per_mhz=(round(report["iterations"] * 1e6 / report["ticks"], 3)
                                    if engine == "rtl" else None),
                  elf=str(elf))
    return report


def summary(r):
    ok = not r["errors"]
    return (f"CoreMark RV{r['xlen']} on the {r['engine']}: "
            + ("CRCs validated" if ok else "WRONG RESULTS: " + "; ".join(r["errors"]))
            + f"\n  {r['iterations']} iterations, {r['ticks']} {r['unit']}, "
            f"{r['per_iteration']} per iteration"
            + (f": {r['coremark_per_mhz']} CoreMark/MHz" if r["coremark_per_mhz"] else ""))


def main(args):
    src = check_sources(args.dir)
    report = run_coremark(src, args.xlen, args.engine, args.iterations, args.out, args.opt,
                          None if args.json else sys.stdout)
    print(summary(report))
    if args.json:
        print(json.dumps(report))
    return 0 if not report["errors"] else 1


def bench_rows(args):
    """`spcore bench` section: CoreMark per xlen on the bench's engine, when COREMARK_DIR
    names a checkout (the sources are not in this repository)."""
    if not os.environ.get("COREMARK_DIR"):
        print("COREMARK_DIR not set (a checkout of github.com/eembc/coremark): skipped")
        return [{"name": "coremark", "skipped": "COREMARK_DIR not set"}]
    src = check_sources(os.environ["COREMARK_DIR"])
    rows = []
    for xlen in getattr(args, "xlens", None) or (32, 64):
        r = run_coremark(src, xlen, args.engine, 10, Path(args.out) / "coremark")
        print(summary(r))
        rows.append({"name": "coremark", "status": "wrong" if r["errors"] else "ok",
                     **{k: r[k] for k in ("xlen", "engine", "unit", "iterations", "ticks",
                                          "per_iteration", "coremark_per_mhz", "errors")}})
    return rows
