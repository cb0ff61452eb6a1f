"""`spcore bench` (`make bench`): the project's numbers.

SECTIONS is a list of independent sections, run in order: each is `fn(args) -> rows`
(dicts; a row without "section" gets the section's title), prints its own progress
lines, and may raise SpcoreError: then it becomes one "missing" row and the others still
run. The rows go to build/bench/report.json; report.md and the plots are generated from
them (spcore/bench_report.py, bench_plots.py). docs/MEASUREMENTS.md says how each number
is measured.
"""
import json
import subprocess
import sys
import time
from pathlib import Path

from . import bench_tracing, coremark
from .hdl import fpga_cost as hdl_fpga_cost
from .config import CoreConfig, positive_int
from .elf import load_elf
from .errors import SpcoreError

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench"


def add_arguments(p):
    p.add_argument("--json", action="store_true", help="print the report as one JSON line last")
    p.add_argument("--engine", choices=("model", "rtl"), default="rtl",
                   help="what runs the measurement programs (default rtl, in lockstep with "
                        "the model; model: fast, counts instructions, not cycles)")
    p.add_argument("--xlen", type=int, choices=(32, 64), action="append", dest="xlens",
                   help="only this xlen (repeatable; default 32 and 64)")
    p.add_argument("--only", action="append", metavar="CONFIG",
                   help="only the measurement builds whose name contains CONFIG "
                        "(probes-base, probes-spc, ftrace-<scheme>; repeatable)")
    p.add_argument("--section", action="append", metavar="WORD",
                   help="only the sections whose title contains WORD (repeatable): "
                        "tracing, text, CPI, speed, ...")
    p.add_argument("--hits", type=positive_int, default=4, metavar="N",
                   help="probe hits per row (default 4: the core has no caches or "
                        "predictor state, so a hit costs the same every time)")
    p.add_argument("--rounds", type=positive_int, default=200, help="workload rounds for the model "
                   "speed (default 200)")
    p.add_argument("--cpi-rounds", type=positive_int, default=2, help="workload rounds for the CPI "
                   "run on the RTL (default 2)")
    p.add_argument("--max-cycles", type=positive_int, default=20_000_000, metavar="N",
                   help="cycle budget of one RTL run (default 20M)")
    p.add_argument("--out", type=Path, default=OUT, help="output folder (default build/bench)")
    p.add_argument("--from-json", type=Path, nargs="+", metavar="REPORT.json",
                   help="run nothing: regenerate report.md, plots (and the README block) "
                        "from earlier report.json files, merged (RTL rows win; see "
                        "spcore/bench_merge.py)")
    p.add_argument("--update-readme", action="store_true",
                   help="rewrite the README block between the bench markers")


def build_workload(xlen, rounds, out_dir=OUT):
    from .build import build_from_argv
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"workload{xlen}.elf"
    build_from_argv([ROOT / "sw/bench/workload.c", "--xlen", xlen, "-D", f"ROUNDS={rounds}",
                     "-o", out])
    return out


def model_speed(args):
    """Golden-model instructions per second on the compiled workload (one core)."""
    from .sim.model import Machine
    rows = []
    for xlen in getattr(args, "xlens", None) or (32, 64):
        program = load_elf(build_workload(xlen, args.rounds, getattr(args, "out", OUT)))
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


def cosim_speed(args):
    """Checked co-simulation instructions per second (sim/bench, imported only here: it
    needs cocotb)."""
    from .sim.bench import cosim_speed as measure
    return measure(args)


SECTIONS = [
    ("tracing mechanisms: cycles per hit", bench_tracing.tracing_rows),
    ("firmware text size per ftrace scheme", bench_tracing.text_rows),
    ("core CPI and stalls on the workload", bench_tracing.cpi_rows),
    ("golden model speed", model_speed),
    ("co-simulation speed", cosim_speed),
    ("CoreMark (COREMARK_DIR)", coremark.bench_rows),
    ("FPGA cost of Xspc and Xjall (LUTs, FFs, Fmax)", hdl_fpga_cost.bench_section),
]


def _commit():
    """HEAD, plus "+dirty" when the RTL, model, firmware or bench code differs from it
    (the numbers then belong to the work tree, not to the commit)."""
    r = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                       capture_output=True, text=True)
    d = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no",
                        "--", "hdl", "sim", "sw", "spcore"], capture_output=True, text=True)
    return (r.stdout.strip() or "unknown") + ("+dirty" if d.stdout.strip() else "")


def _selected(title, words):
    """`--section WORD`: a section runs when its title contains one of the words."""
    return any(w.lower() in title.lower() for w in words)


def main(args):
    args.xlens = sorted(set(args.xlens or (32, 64)))
    for word in args.section or []:
        if not any(_selected(title, [word]) for title, _ in SECTIONS):
            raise SpcoreError(f"--section {word!r} matches no section: "
                              + "; ".join(title for title, _ in SECTIONS))
    args.out = Path(args.out).resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    if args.from_json:
        from .bench_merge import merge_reports
        reports = []
        for path in args.from_json:
            try:
                report = json.loads(Path(path).read_text())
                report["rows"], report["meta"]["engine"]
            except (OSError, ValueError, KeyError, TypeError) as e:
                raise SpcoreError(f"{path}: not a spcore bench report: {e}") from None
            reports.append(report)
        return write_outputs(reports[0] if len(reports) == 1 else merge_reports(reports), args)
    if args.engine == "rtl":
        try:
            import spcore.sim.bench  # noqa: F401  (the RTL engine of `spcore run`)
        except ImportError as e:
            raise SpcoreError(f"--engine rtl is not available: {e}") from None
    t0 = time.perf_counter()
    rows, failed = [], []
    argv = " ".join(sys.argv[2:]) if sys.argv[1:2] == ["bench"] else ""

    def meta(partial):
        return {"engine": args.engine, "hits": args.hits, "xlens": args.xlens,
                "commit": _commit(), "seconds": round(time.perf_counter() - t0, 1),
                "argv": argv, "partial": partial}

    def progress(section_rows):               # a long RTL run keeps what it measured
        (args.out / "report.json").write_text(json.dumps(
            {"meta": meta(True), "rows": rows + section_rows}, indent=1))
    args.progress = progress
    for title, fn in SECTIONS:
        if args.section and not _selected(title, args.section):
            continue
        print(f"== {title}")
        sys.stdout.flush()
        try:
            new = fn(args)
        except SpcoreError as e:
            print(f"  section failed: {e}")
            failed.append(title)
            new = [{"name": "section", "status": "missing", "reason": str(e).splitlines()[0]}]
        for r in new:
            r.setdefault("section", title)
        rows += new
        progress([])
    report = {"meta": meta(False), "rows": rows}
    code = write_outputs(report, args)
    return 1 if failed else code


def write_outputs(report, args):
    """report.json, report.md, plots; the README block if asked; --json."""
    from .bench_plots import write_plots
    from .bench_report import markdown, update_readme
    try:
        report["meta"]["report"] = str((args.out / "report.md").relative_to(ROOT))
    except ValueError:
        report["meta"]["report"] = str(args.out / "report.md")
    plots = write_plots(report, args.out)
    report["meta"]["plots"] = plots if isinstance(plots, str) else [p.name for p in plots]
    (args.out / "report.json").write_text(json.dumps(report, indent=1))
    (args.out / "report.md").write_text(markdown(report))
    print(f"wrote {args.out / 'report.md'}, report.json"
          + (f"; {plots}" if isinstance(plots, str) else f" and {len(plots)} plots")
          + f" in {report['meta']['seconds']:.0f} s")
    if args.update_readme:
        update_readme(ROOT / "README.md", report)
        print("README.md: bench block updated")
    if args.json:
        print(json.dumps(report))
    return 0
