"""`spcore fpga --cost-table`: what Xspc and Xjall cost in LUTs, FFs and Fmax.

Rows: RV32 and RV64 on ECP5-25k, RV32 on iCE40-HX8K; each as base, +spc, +jall, both.
Fmax is the median over the seeds (place-and-route is noisy; seeds are 1..N, so a run is
repeatable). Each variant is also synthesized unit by unit (`--units`, no flattening): the
flattened LUT delta is the real size but moves by a few hundred LUTs whenever abc maps
the datapath differently, while the hierarchical total changes only by the logic the
extension adds. The table shows both, against the flattened base, and an extension's LUT
verdict is "ok" only when both are within the limit. Writes build/fpga/cost-table.md and
build/fpga/cost-table.json; with `--write-doc` each measured row's table replaces its
block in docs/FPGA.md, so the numbers there are the tool's output, never typed by hand.
"""
import datetime
import json
import os
import re
import subprocess

from spcore.errors import SpcoreError

from .fpga import OUT_DIR, TARGETS, short_name

ROWS = [("ecp5-25k", 32), ("ecp5-25k", 64), ("ice40-hx8k", 32)]
VARIANTS = [("base", False, False), ("+spc", True, False), ("+jall", False, True),
            ("both", True, True)]
GOALS = {("ecp5-25k", 32): 100.0, ("ecp5-25k", 64): 80.0}   # Fmax goals, MHz
EXT_LIMIT = 3.0                                               # % LUTs and % Fmax per extension


DOC = os.path.join("docs", "FPGA.md")       # relative to the repository root, like OUT_DIR


def parse_rows(text):
    """`ecp5-25k:32,ice40-hx8k:32` -> [("ecp5-25k", 32), ...]; None -> every row."""
    if not text:
        return list(ROWS)
    rows = []
    for item in text.split(","):
        target, _, xlen = item.strip().partition(":")
        if target not in TARGETS or xlen not in ("32", "64"):
            raise SpcoreError(f"--rows: expected TARGET:32|64 with TARGET one of "
                              f"{', '.join(sorted(TARGETS))}, not {item.strip()!r}")
        rows.append((target, int(xlen)))
    return rows


def _pct(new, old):
    if not old or new is None:
        return None
    return 100.0 * (new - old) / old


def table_markdown(results, seeds, commit):
    out = [f"Measured {datetime.date.today().isoformat()} on commit {commit}; Fmax is the "
           f"median of {seeds} nextpnr seed(s).", "",
           "| target | xlen | variant | LUTs | dLUT % | added per unit | FFs | BRAMs | DSPs "
           "| Fmax MHz | dFmax % | goal |",
           "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        base = next((b for b in results if b["target"] == r["target"] and b["xlen"] == r["xlen"]
                     and b["variant"] == "base"), {})
        dl = _pct(r.get("luts"), base.get("luts"))
        added = None                     # hierarchical LUTs the extension adds
        if r["variant"] != "base" and None not in (r.get("unit_luts"), base.get("unit_luts")):
            added = r["unit_luts"] - base["unit_luts"]
        du = None if added is None or not base.get("luts") else 100.0 * added / base["luts"]
        df = _pct(r.get("fmax_mhz"), base.get("fmax_mhz"))
        verdict = [r["error"]] if r.get("error") else []
        goal = GOALS.get((r["target"], r["xlen"]))
        if goal and r["fmax_mhz"] is not None:
            verdict.append("Fmax ok" if r["fmax_mhz"] >= goal else f"Fmax < {goal:g}")
        if r["variant"] in ("+spc", "+jall"):
            worst = max((v for v in (dl, du) if v is not None), default=None)
            if worst is not None:
                verdict.append("LUT ok" if worst <= EXT_LIMIT else "LUT > 3%")
            if df is not None:
                verdict.append("Fmax-delta ok" if df >= -EXT_LIMIT else "Fmax loss > 3%")
        fmt = lambda v: "-" if v is None else f"{v:+.1f}"
        fm = "-" if r.get("fmax_mhz") is None else f"{r['fmax_mhz']:.1f}"
        cell = lambda k: "-" if r.get(k) is None else r[k]
        unit = "-" if added is None else f"{added:+d}" + ("" if du is None else f" ({du:+.1f} %)")
        out.append(f"| {r['target']} | {r['xlen']} | {r['variant']} | {cell('luts')} | "
                   f"{fmt(dl)} | {unit} | {cell('ffs')} | {cell('brams')} | {cell('dsps')} | "
                   f"{fm} | {fmt(df)} | {', '.join(verdict)} |")
    paths = [f"- {r['target']} RV{r['xlen']} {r['variant']}: "
             f"{' / '.join(short_name(p) for p in r['critical_path'].split(' / '))}"
             for r in results if r.get("critical_path")]
    if paths:
        out += ["", "Critical paths (slowest seed):", *paths]
    return "\n".join(out) + "\n"


def _commit():
    if os.environ.get("SPCORE_COMMIT"):      # measuring a snapshot of that commit
        return os.environ["SPCORE_COMMIT"]
    try:
        r = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                           text=True)
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "hdl"],
                               capture_output=True, text=True).stdout.strip()
        return (r.stdout.strip() or "unknown") + ("+dirty-hdl" if dirty else "")
    except OSError:
        return "unknown"


def write_doc(results, seeds, commit, path=DOC, tag=""):
    """Replace (or append) one marked block per target/xlen row (and tag) in docs/FPGA.md."""
    text = open(path).read()
    for target, xlen in dict.fromkeys((r["target"], r["xlen"]) for r in results):
        rows = [r for r in results if (r["target"], r["xlen"]) == (target, xlen)]
        key = f"{target} rv{xlen}{' ' + tag if tag else ''}"
        begin, end = f"<!-- cost-table {key} -->", f"<!-- end cost-table {key} -->"
        block = (f"{begin}\n### {target}, RV{xlen}{', ' + tag if tag else ''}\n\n"
                 f"{table_markdown(rows, seeds, commit)}{end}")
        pat = re.compile(re.escape(begin) + ".*?" + re.escape(end), re.S)
        text = pat.sub(lambda _: block, text) if pat.search(text) else text.rstrip() + "\n\n" + block + "\n"
    with open(path, "w") as f:
        f.write(text)


def cost_table(measure, seeds, as_json, rows=ROWS, doc=False, unit_luts=None):
    """`measure(target, xlen, spc, jall, seeds=)` places and routes one variant;
    `unit_luts(target, xlen, spc, jall)` is its hierarchical LUT total (synthesis only)."""
    results = []
    commit = _commit()
    for target, xlen in rows:
        for name, spc, jall in VARIANTS:
            try:
                r = measure(target, xlen, spc, jall, seeds=seeds)
            except SpcoreError as e:      # e.g. does not fit: a row saying so, not no table
                r = {"target": target, "xlen": xlen, "spc": spc, "jall": jall,
                     **getattr(e, "synthesized", {}),           # synthesis counts if any
                     "fmax_mhz": None, "error": str(e).split(" (log:")[0]}
            r["variant"] = name
            if unit_luts:
                try:
                    r["unit_luts"] = unit_luts(target, xlen, spc, jall)
                except SpcoreError as e:     # the row keeps its flattened numbers
                    print(f"{target} RV{xlen} {name}: per-unit synthesis failed: {e}")
            results.append(r)
            print(f"{target} RV{xlen} {name}: LUTs {r.get('luts')} FFs {r.get('ffs')} "
                  f"Fmax {r['fmax_mhz']}{'  ' + r['error'] if r.get('error') else ''}", flush=True)
            with open(os.path.join(OUT_DIR, "cost-table.partial.json"), "w") as f:
                json.dump({"commit": commit, "seeds": seeds, "results": results}, f, indent=1)
    md = table_markdown(results, seeds, commit)
    with open(os.path.join(OUT_DIR, "cost-table.md"), "w") as f:
        f.write(md)
    with open(os.path.join(OUT_DIR, "cost-table.json"), "w") as f:
        json.dump({"commit": commit, "seeds": seeds, "results": results}, f, indent=1)
    if doc:
        write_doc(results, seeds, commit)
    print(md)
    if as_json:
        print(json.dumps({"commit": commit, "seeds": seeds, "results": results}))
    return 0


def bench_section(args):
    """`spcore bench` section: the cost table as report rows.

    A full table is ~12 place-and-route runs (an hour or more on a shared machine), so the
    bench reports the table `spcore fpga --cost-table` last wrote on this machine
    (build/fpga/cost-table.json), else the tables committed in docs/FPGA.md, each with the
    commit it was measured on, instead of measuring it again.
    """
    path = os.path.join(OUT_DIR, "cost-table.json")
    if os.path.isfile(path):
        table = json.load(open(path))
        print(table_markdown(table["results"], table["seeds"], table["commit"]), end="")
        keys = ("target", "xlen", "variant", "luts", "unit_luts", "ffs", "brams", "dsps",
                "fmax_mhz", "error")
        return [{"name": "fpga-cost", **{k: r.get(k) for k in keys if k in r},
                 "commit": table["commit"], "seeds": table["seeds"]} for r in table["results"]]
    blocks = doc_tables()
    if not blocks:
        print("FPGA cost table not measured yet: run `spcore fpga --cost-table`")
        return [{"name": "fpga-cost", "skipped": "not measured (spcore fpga --cost-table)"}]
    print(f"Not measured on this machine (`spcore fpga --cost-table` does, hours): the "
          f"tables in {DOC}.\n")
    rows = []
    for text in blocks:
        print(text)
        rows += doc_rows(text)
    return rows


def doc_rows(block):
    """Report rows from one doc block: its table's cells, the commit and seed count."""
    commit = re.search(r"on commit (\S+?);", block)
    seeds = re.search(r"median of (\d+) nextpnr", block)
    rows = []
    for line in block.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 12 and cells[1].isdigit():   # target | xlen | variant | LUTs | ...
            rows.append({"name": "fpga-cost", "target": cells[0], "xlen": int(cells[1]),
                         "variant": cells[2], "luts": _num(cells[3]), "ffs": _num(cells[6]),
                         "brams": _num(cells[7]), "dsps": _num(cells[8]),
                         "fmax_mhz": _num(cells[9]), "goal": cells[11], "source": DOC,
                         "commit": commit.group(1) if commit else None,
                         "seeds": int(seeds.group(1)) if seeds else None})
    return rows


def doc_tables(path=DOC):
    """The cost-table blocks `--write-doc` put into docs/FPGA.md, markers stripped."""
    try:
        text = open(path).read()
    except OSError:
        return []
    return [m.group(1).strip() + "\n" for m in
            re.finditer(r"<!-- cost-table [^>]*-->\n(.*?)<!-- end cost-table", text, re.S)]


def _num(cell):
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return None
