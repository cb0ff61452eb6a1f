"""`spcore bench` sections for the tracing mechanisms (TRACING.md, "What must be
measured"): the measurement firmware of sw/bench/ built once per xlen x configuration,
run on the chosen engine, its BENCH lines turned into rows. Also the firmware text size
per ftrace scheme and the core's CPI on the compiled workload.

Every run is on the full core (Xspc + Xjall): the configurations differ only in the
firmware (a --no-spc build is the runtime of a core without Xspc: two-trap kprobes).
On the RTL the same program also runs on the golden model, whose mcycle counts one per
instruction: that gives instructions per hit beside cycles per hit.
"""
import argparse
import time
from dataclasses import dataclass, field
from pathlib import Path

from .bench_lines import parse_console
from .config import CoreConfig
from .elf import load_elf
from .errors import SpcoreError

ROOT = Path(__file__).resolve().parents[1]
SW_BENCH = ROOT / "sw" / "bench"
PROBE_SOURCES = ("probes.c", "harness.c", "targets.S")
FTRACE_SOURCES = ("ftrace.c", "harness.c")
SCHEMES = ("mcount", "ra-stack", "t0", "call-ops", "jall")

# What each row measures (TRACING.md's table, plus spcore's extra rows).
WHAT = {
    "k": "breakpoint kprobe, single-stepped out of line (two traps); runtime without Xspc",
    "b": "breakpoint kprobe on auipc, simulated (one trap)",
    "b-spc": "boosted kprobe: out of line, back through lrw2spc (one trap)",
    "o-classic": "optprobe, auipc/jalr in, auipc/jalr out",
    "o-spc": "optprobe, c.jall in, lrw2spc out",
    "hwbp": "kprobe on a Sdtrig trigger (no text patched), stepped out of line (two traps)",
    "hwbp-spc": "kprobe on a Sdtrig trigger, boosted slot (one trap)",
    "kret": "kretprobe entry + return; runtime without Xspc (entry probe: see armed as)",
    "kret-spc": "kretprobe entry + return; runtime with Xspc (entry probe: see armed as)",
    "u": "uprobe on the U-mode task (trap to M, step in a U-mode slot)",
}
for _s in SCHEMES:
    WHAT[f"f-{_s}-disabled"] = f"ftrace site ({_s}), disabled"
    WHAT[f"f-{_s}-empty"] = f"ftrace site ({_s}) enabled, empty ftrace_ops callback"
    WHAT[f"f-{_s}-counting"] = f"ftrace site ({_s}) enabled, counting callback"
    WHAT[f"kf-{_s}"] = f"kprobe at function entry on the ftrace site ({_s})"

# The TRACING.md rows, in its order; the others are spcore's additions.
REQUIRED = ("k", "b", "b-spc", "o-classic", "o-spc", "kret", "u") + tuple(
    f"f-{s}-{k}" for s in SCHEMES for k in ("disabled", "empty", "counting"))


@dataclass
class Config:
    """One firmware build: sources, `spcore build` options, the rows it must print."""
    name: str
    sources: tuple
    options: list
    rows: tuple
    target: str                       # what the rows call, for the `how` text
    unavailable: dict = field(default_factory=dict)   # row -> why it cannot be built


def configs():
    """The builds, from what `spcore build` offers today (a flavour or scheme that is
    not an option yet gives "missing" rows, and is picked up once it exists)."""
    from . import build
    out = []
    base = Config("probes-base", PROBE_SOURCES, ["--no-spc"],
                  ("k", "b", "o-classic", "hwbp", "kret", "u"), "sw/bench/targets.S")
    spc = Config("probes-spc", PROBE_SOURCES, [],
                 ("b-spc", "o-spc", "hwbp-spc", "kret-spc"), "sw/bench/targets.S")
    for cfg, flavour in ((base, "classic"), (spc, "spc")):
        if flavour in getattr(build, "OPTPROBES", ()):
            cfg.options += ["--optprobe", flavour]
        else:
            cfg.unavailable[f"o-{flavour}"] = f"spcore build has no --optprobe {flavour}"
        out.append(cfg)
    for s in SCHEMES:
        rows = (f"f-{s}-disabled", f"f-{s}-empty", f"f-{s}-counting", f"kf-{s}")
        cfg = Config(f"ftrace-{s}", FTRACE_SOURCES, ["--ftrace", s], rows,
                     "bench_traced() vs the same body without a site (bench_plain)")
        if s not in build.FTRACE_SCHEMES:
            cfg.unavailable = {r: f"spcore build has no --ftrace {s}" for r in rows}
        out.append(cfg)
    return out


def build_elf(sources, options, xlen, out, defines=()):
    from .build import build_from_argv
    out.parent.mkdir(parents=True, exist_ok=True)
    argv = [SW_BENCH / s if not Path(s).is_absolute() else s for s in sources]
    argv += ["--xlen", xlen, *options, "-o", out]
    for d in defines:
        argv += ["-D", d]
    build_from_argv(argv)
    return out


def run_engine(elf, engine, max_cycles):
    """Run one ELF on the model or the RTL (lockstep); -> (RunResult, seconds)."""
    from . import runner
    parser = argparse.ArgumentParser()
    runner.add_arguments(parser)
    argv = [str(elf), "--engine", engine, "--quiet"]
    if engine == "rtl" and "--max-cycles" in parser._option_string_actions:
        argv += ["--max-cycles", str(max_cycles)]
    args = parser.parse_args(argv)
    program = load_elf(elf)
    config = CoreConfig(xlen=program.xlen)            # the full core: Xspc and Xjall
    t = time.perf_counter()
    result = runner.execute(program, config, args)
    return result, time.perf_counter() - t


def how_text(row, cfg, engine):
    opts = " ".join(cfg.options) or "(defaults)"
    if row["name"].startswith(("f-", "kf-")):
        base = "the same loop over an identical function without a site"
    elif row["name"] == "u":
        base = "the same task unprobed"
    else:
        base = "the same loop unarmed"
    return (f"mcycle delta around {row['n']} calls ({engine}), minus {base}; "
            f"divided by {row['n']}; sw/bench/{cfg.sources[0]} built with {opts}")


def measure_config(cfg, xlen, args, log):
    """Build and run one configuration; -> rows (every expected row, measured or
    marked missing with the reason)."""
    found, runs = {}, []
    if len(cfg.unavailable) < len(cfg.rows):
        elf = build_elf(cfg.sources, cfg.options, xlen,
                        args.out / f"{cfg.name}-rv{xlen}.elf", [f"BENCH_N={args.hits}"])
        engines = ["model"] + (["rtl"] if args.engine == "rtl" else [])
        per_engine = {}
        for engine in engines:
            result, dt = run_engine(elf, engine, args.max_cycles)
            lines, done = parse_console(result.console)
            log(f"  {cfg.name} RV{xlen} on the {engine}: {result.status}, "
                f"{result.instret} instructions, {dt:.1f} s")
            per_engine[engine] = ({r["name"]: r for r in lines}, done, result, dt)
            runs.append({"section": "runs", "name": cfg.name, "xlen": xlen, "engine": engine,
                         "status": result.status, "instret": result.instret,
                         "seconds": round(dt, 2),
                         "instr_per_s": round(result.instret / dt) if dt > 0 else None})
        model_rows = per_engine["model"][0]
        lines, done, result, dt = per_engine[args.engine]
        for name, r in lines.items():
            found[name] = dict(r, engine=args.engine, seconds=round(dt, 2),
                               model_row=model_rows.get(name))
        ended = "" if done and result.passed else (
            f"the program ended early ({result.status}: "
            f"{(result.message or 'exit code %s' % result.exit_code)[:80]})")
    rows = []
    for name in cfg.rows + tuple(n for n in found if n not in cfg.rows):
        r = found.get(name)
        row = {"section": "tracing", "name": name, "xlen": xlen, "build": cfg.name,
               "what": WHAT.get(name, name)}
        if r is None:
            reason = cfg.unavailable.get(name) or ended or "not reported by the program"
            row.update(status="missing", reason=reason)
        elif "missing" in r:
            row.update(status="missing", reason=r["missing"].replace("-", " "))
        else:
            row.update(engine=r["engine"], n=r["n"], hits=r["hits"], cycles=r["cycles"],
                       base=r["base"], cycles_per_hit=round((r["cycles"] - r["base"]) / r["n"], 2),
                       bytes=r.get("bytes"), via=r.get("via"), how=how_text(r, cfg, r["engine"]))
            for k in ("site", "patch"):
                if k in r:
                    row[k] = r[k]
            m = r.get("model_row")
            if m and "missing" not in m:
                row["instr_per_hit"] = round((m["cycles"] - m["base"]) / m["n"], 2)
            want = 0 if r.get("via") == "site" else r["n"]      # a disabled site: no handler
            if r["hits"] != want:
                row.update(status="wrong",
                           reason=f"handler ran {r['hits']} times for {r['n']} calls")
            else:
                row["status"] = "ok"
        rows.append(row)
    return rows + runs


def tracing_rows(args, log=print):
    rows = []
    for xlen in args.xlens:
        for cfg in configs():
            if args.only and not any(o in cfg.name for o in args.only):
                continue
            rows += measure_config(cfg, xlen, args, log)
            progress = getattr(args, "progress", None)
            if progress:                      # save what is measured so far
                progress(rows)
    return rows


def text_size(elf):
    from elftools.elf.elffile import ELFFile
    with open(elf, "rb") as f:
        e = ELFFile(f)
        return sum(s["sh_size"] for s in e.iter_sections()
                   if s["sh_flags"] & 0x4 and s["sh_type"] == "SHT_PROGBITS")   # SHF_EXECINSTR


def text_rows(args, log=print):
    """Firmware text size per ftrace scheme: sw/bench/workload.c (many small functions)
    built with each scheme, against the same without ftrace."""
    from . import build
    rows = []
    for xlen in args.xlens:
        sizes = {}
        for s in ("none",) + SCHEMES:
            if s not in build.FTRACE_SCHEMES:
                rows.append({"section": "text", "name": f"text-{s}", "xlen": xlen,
                             "status": "missing", "reason": f"spcore build has no --ftrace {s}"})
                continue
            elf = build_elf(["workload.c"], ["--ftrace", s], xlen,
                            args.out / f"text-{s}-rv{xlen}.elf", ["ROUNDS=1"])
            sizes[s] = text_size(elf)
            rows.append({"section": "text", "name": f"text-{s}", "xlen": xlen,
                         "status": "ok", "text_bytes": sizes[s],
                         "how": f"executable sections of sw/bench/workload.c + runtime, "
                                f"spcore build --ftrace {s}"})
        for r in rows:
            if r["xlen"] == xlen and r["status"] == "ok" and "none" in sizes:
                r["delta_bytes"] = r["text_bytes"] - sizes["none"]
        log(f"  RV{xlen} text bytes: " +
            ", ".join(f"{k} {v}" for k, v in sizes.items()))
    return rows


def cpi_rows(args, log=print):
    """CPI and the core's stall/flush counters on the compiled workload (RTL only)."""
    rows = []
    for xlen in args.xlens:
        row = {"section": "cpi", "name": "cpi", "xlen": xlen}
        if args.engine != "rtl":
            row.update(status="missing",
                       reason="the model has no timing (one cycle per instruction); --engine rtl")
            rows.append(row)
            continue
        elf = build_elf(["workload.c"], [], xlen, args.out / f"workload-cpi-rv{xlen}.elf",
                        [f"ROUNDS={args.cpi_rounds}"])
        result, dt = run_engine(elf, "rtl", args.max_cycles)
        if not result.passed:
            row.update(status="missing", reason=f"workload on the RTL: {result.status} "
                                                f"{result.message[:80]}")
            rows.append(row)
            continue
        perf = {k[5:]: v for k, v in result.extra.items() if k.startswith("perf_")}
        row.update(status="ok", cycles=result.cycles, instret=result.instret,
                   cpi=round(result.cycles / result.instret, 3), stalls=perf,
                   seconds=round(dt, 2), engine=result.extra.get("engine", "rtl"),
                   how=f"sw/bench/workload.c, ROUNDS={args.cpi_rounds}, whole run from reset "
                       f"(boot included); cycles and counters from the RTL")
        log(f"  RV{xlen}: CPI {row['cpi']} over {result.instret} instructions; stalls {perf}")
        rows.append(row)
    return rows
