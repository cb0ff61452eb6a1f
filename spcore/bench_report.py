"""`spcore bench`'s report: report.md from the rows (every number and every "wins" /
"does not win" sentence is computed here from the measurements, none is typed in), and
the README block between <!-- bench:begin --> and <!-- bench:end -->."""
from .bench_tracing import REQUIRED, SCHEMES, WHAT
from .errors import SpcoreError

# The talk's reference (x86-64 Xeon E5410): k, b (boosted), o (optimized), microseconds.
X86_US = {"k": 0.99, "b": 0.43, "o": 0.06}
# Ratios to k: ours beside the talk's.
RATIOS = (("b", "b"), ("b-spc", "b"), ("o-classic", "o"), ("o-spc", "o"))
MECHANISMS = ("k", "b", "b-spc", "o-classic", "o-spc", "hwbp", "hwbp-spc", "kret",
              "kret-spc", "u")
README_BEGIN, README_END = "<!-- bench:begin -->", "<!-- bench:end -->"


class Rows:
    def __init__(self, rows):
        self.rows = rows
        self.xlens = sorted({r["xlen"] for r in rows if "xlen" in r})

    def get(self, name, xlen, section=None):
        for r in self.rows:
            if r.get("name") == name and r.get("xlen") == xlen and \
                    (section is None or r.get("section") == section):
                return r
        return None

    def cost(self, name, xlen):
        r = self.get(name, xlen, "tracing")
        return r["cycles_per_hit"] if r and r.get("status") == "ok" else None


def fmt(v, digits=1):
    if v is None:
        return "missing"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def cell(rows, name, xlen, key="cycles_per_hit"):
    r = rows.get(name, xlen, "tracing")
    if r is None:
        return "-"
    if r["status"] == "missing":
        if key == "instr_per_hit" and r.get(key) is not None:
            return fmt(r[key])                 # merged: counted on the model only
        return "not run" if r.get("reason", "").startswith("not run") else "missing"
    if r["status"] == "wrong":
        return f"WRONG ({fmt(r.get(key))})"
    return fmt(r.get(key))


def table(head, body):
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(str(c) for c in line) + " |" for line in body]
    return out


def mechanism_table(rows, with_instr=True):
    head = ["row", "what"]
    for x in rows.xlens:
        head += [f"RV{x} cycles/hit"] + ([f"RV{x} instr/hit"] if with_instr else [])
    head += ["bytes patched", "armed as"]
    body = []
    for name in MECHANISMS:
        line = [f"`{name}`", WHAT[name]]
        bytes_, via = set(), set()
        for x in rows.xlens:
            line.append(cell(rows, name, x))
            if with_instr:
                line.append(cell(rows, name, x, "instr_per_hit"))
            r = rows.get(name, x, "tracing")
            if r and r["status"] != "missing":
                bytes_.add(str(r.get("bytes")))
                via.add(str(r.get("via")))
        line += ["/".join(sorted(bytes_)) or "-", "/".join(sorted(via)) or "-"]
        body.append(line)
    return table(head, body)


def ratio_lines(rows):
    head = ["ratio"] + [f"RV{x}" for x in rows.xlens] + ["x86 (talk)"]
    body = []
    for ours, ref in RATIOS:
        line = [f"{ours} / k"]
        for x in rows.xlens:
            k, v = rows.cost("k", x), rows.cost(ours, x)
            line.append(f"{v / k:.3f} (1/{k / v:.1f})" if k and v and v > 0 else "missing")
        r = X86_US[ref] / X86_US["k"]
        line.append(f"{r:.3f} (1/{1 / r:.1f}, {ref} = {X86_US[ref]} us)")
        body.append(line)
    return table(head, body)


def goals(rows, engine="rtl"):
    """(goal, xlen, verdict, detail) for the issue's three goals. They are about cycles:
    on the model engine a verdict only says what the instruction counts give."""
    out = []
    note = "" if engine == "rtl" else " (model: instructions, not cycles)"
    for x in rows.xlens:
        k, o, b = rows.cost("k", x), rows.cost("o-spc", x), rows.cost("b-spc", x)
        for text, v, limit in (("o-spc <= k/15", o, k / 15 if k else None),
                               ("b-spc <= k/2", b, k / 2 if k else None)):
            if v is None or limit is None:
                out.append((text, x, "missing", "not measured"))
            else:
                out.append((text, x, ("pass" if v <= limit else "miss") + note,
                            f"{v:.1f} vs limit {limit:.1f} (k = {k:.1f})"))
        r = rows.get("f-jall-disabled", x, "tracing")
        text = "jall site 6 bytes, disabled <= 1 cycle/call"
        if not r or r["status"] != "ok":
            out.append((text, x, "missing", "not measured"))
        else:
            ok = r.get("site") == 6 and r["cycles_per_hit"] <= 1
            out.append((text, x, ("pass" if ok else "miss") + note,
                        f"site {r.get('site')} bytes, disabled {r['cycles_per_hit']:.2f} cycles/call"))
    return out


def _compare(rows, x, ours, other, label, unit="cycles/hit"):
    a, b = rows.cost(ours, x), rows.cost(other, x)
    if a is None or b is None:
        miss = " and ".join(n for n, v in ((ours, a), (other, b)) if v is None)
        return f"RV{x}: {label}: cannot compare, {miss} missing."
    d = b - a
    pct = 100 * d / b if b else 0.0
    if a == b:
        return f"RV{x}: {label}: **tie**: {ours} and {other} both {a:.1f} {unit}."
    if a < b:
        return (f"RV{x}: {label}: **wins**: {ours} {a:.1f} vs {other} {b:.1f} {unit}, "
                f"{d:.1f} fewer ({pct:.0f}%).")
    return (f"RV{x}: {label}: **does not win**: {ours} {a:.1f} vs {other} {b:.1f} {unit} "
            f"({-d:.1f} more).")


def _verdict(ours, other):
    return "**wins**" if ours < other else "**tie**" if ours == other else "**does not win**"


def wins(rows, engine="rtl"):
    out = []
    u = "cycles/hit" if engine == "rtl" else "instructions/hit (model)"
    for x in rows.xlens:
        out.append(_compare(rows, x, "b-spc", "k", "Xspc boosting (one trap instead of two)", u))
        out.append(_compare(rows, x, "b-spc", "b", "boosted step vs software simulation", u))
        out.append(_compare(rows, x, "o-spc", "o-classic",
                            "optprobe with c.jall + lrw2spc vs auipc/jalr", u))
        out.append(_compare(rows, x, "kret-spc", "kret", "kretprobe entry with Xspc", u))
        out.append(_compare(rows, x, "hwbp-spc", "hwbp", "hardware-breakpoint probe with Xspc", u))
        for other in ("t0", "call-ops", "ra-stack", "mcount"):
            for kind in ("disabled", "empty"):
                out.append(_compare(rows, x, f"f-jall-{kind}", f"f-{other}-{kind}",
                                    f"ftrace site {kind}: c.jall vs {other}", u))
        a, b = rows.get("o-spc", x, "tracing"), rows.get("o-classic", x, "tracing")
        if a and b and a["status"] == b["status"] == "ok":
            verdict = _verdict(a["bytes"], b["bytes"])
            out.append(f"RV{x}: optprobe bytes patched: {verdict}: {a['bytes']} bytes (c.jall "
                       f"site) vs {b['bytes']} (auipc/jalr); c.jall needs no free register.")
        j = rows.get("text-jall", x, "text")
        for other in ("t0", "call-ops"):
            t = rows.get(f"text-{other}", x, "text")
            if j and t and j["status"] == t["status"] == "ok":
                verdict = _verdict(j["text_bytes"], t["text_bytes"])
                out.append(f"RV{x}: firmware text with ftrace: {verdict}: jall "
                           f"{j['text_bytes']} bytes vs {other} {t['text_bytes']}.")
    return out


def ftrace_table(rows):
    head = ["scheme"]
    for x in rows.xlens:
        head += [f"RV{x} disabled", f"RV{x} empty", f"RV{x} counting", f"RV{x} kprobe-on-ftrace",
                 f"RV{x} text (+ vs none)"]
    head += ["site bytes", "bytes changed per enable", "bytes stored per enable"]
    body = []
    for s in SCHEMES:
        line = [f"`{s}`"]
        site, changed, stored = set(), set(), set()
        for x in rows.xlens:
            for kind in ("disabled", "empty", "counting"):
                line.append(cell(rows, f"f-{s}-{kind}", x))
                r = rows.get(f"f-{s}-{kind}", x, "tracing")
                if r and r["status"] == "ok":
                    site.add(str(r.get("site")))
                    stored.add(str(r.get("patch")))
                    if kind != "disabled":
                        changed.add(str(r.get("bytes")))
            line.append(cell(rows, f"kf-{s}", x))
            t = rows.get(f"text-{s}", x, "text")
            line.append(f"{t['text_bytes']} (+{t.get('delta_bytes', '?')})"
                        if t and t["status"] == "ok" else "-")
        line += ["/".join(sorted(site)) or "-", "/".join(sorted(changed)) or "-",
                 "/".join(sorted(stored)) or "-"]
        body.append(line)
    return table(head, body)


def cpi_table(rows):
    body = []
    keys = []
    for r in rows.rows:
        if r.get("section") == "cpi" and r.get("status") == "ok":
            keys += [k for k in r["stalls"] if k not in keys]
    head = ["xlen", "cycles", "instret", "CPI"] + [f"{k} (cycles, %)" for k in keys]
    for r in rows.rows:
        if r.get("section") != "cpi":
            continue
        if r.get("status") != "ok":
            body.append([f"RV{r['xlen']}", "missing: " + r.get("reason", "")] + [""] * (len(head) - 2))
            continue
        line = [f"RV{r['xlen']}", r["cycles"], r["instret"], r["cpi"]]
        for k in keys:
            v = r["stalls"].get(k)
            line.append("-" if v is None else f"{v} ({100 * v / r['cycles']:.1f}%)")
        body.append(line)
    return table(head, body)


def run_time_lines(rows):
    """How long the measurement programs took on each engine (the bench's own cost)."""
    out = []
    for engine in ("model", "rtl"):
        runs = [r for r in rows.rows if r.get("section") == "runs" and r.get("engine") == engine]
        if runs:
            n = sum(r["instret"] for r in runs)
            t = sum(r["seconds"] for r in runs)
            out.append(f"- {engine}: {len(runs)} program runs, {n} instructions in {t:.0f} s "
                       f"({n / t if t else 0:.0f} instr/s{', checked in lockstep' if engine == 'rtl' else ''}).")
    return out


def other_sections(rows):
    """Rows of sections this module does not format (golden-model speed, co-simulation
    speed, FPGA...): one generic table per section."""
    known = {"tracing", "text", "cpi"}
    out = []
    sections = []
    for r in rows.rows:
        s = r.get("section", "?")
        if s not in known and s not in sections:
            sections.append(s)
    for s in sections:
        mine = [r for r in rows.rows if r.get("section") == s]
        keys = []
        for r in mine:
            keys += [k for k in r if k not in keys and k != "section"]
        out += [f"### {s}", ""] + table(keys, [[fmt(r.get(k), 2) if r.get(k) is not None
                                                 else "" for k in keys] for r in mine]) + [""]
    return out


def missing_lines(rows):
    out = []
    for r in rows.rows:
        if r.get("status") in ("missing", "wrong"):
            out.append(f"- RV{r.get('xlen', '?')} `{r['name']}` ({r.get('section')}): "
                       f"{r['status']}: {r.get('reason', '')}")
    for x in rows.xlens:
        for name in REQUIRED:
            if rows.get(name, x, "tracing") is None:
                out.append(f"- RV{x} `{name}`: not run (filtered out by --only/--xlen)")
    return out


def how_lines(rows):
    """Each measured row's own `how` (one line per row name and xlen)."""
    out = []
    for r in rows.rows:
        if r.get("how"):
            out.append(f"- RV{r.get('xlen', '?')} `{r['name']}`: {r['how']}")
    return out


def markdown(report):
    rows = Rows(report["rows"])
    meta = report["meta"]
    engine = meta["engine"]
    unit = ("cycles per hit on the RTL (lockstep with the golden model); instr/hit from "
            "the golden model" if engine == "rtl" else
            "**model engine: the golden model's mcycle counts one per instruction, so "
            "these are instructions per hit, not cycles** (run `spcore bench --engine rtl`)")
    out = ["# spcore measurements", "",
           f"Generated by `spcore bench {meta['argv']}` at commit {meta['commit']} "
           f"in {meta['seconds']:.0f} s; engine: {engine}; {meta['hits']} hits per row."
           + (" **Partial: the run was stopped before its end.**" if meta.get("partial") else ""),
           "", "## Cycles per hit of each mechanism", "",
           f"Unit: {unit}. Every handler is empty, so the rows compare mechanisms. "
           "Each row is the mcycle delta around N calls of a target function with the "
           "probe armed, minus the same loop unarmed, divided by N; the handler's hit count "
           "is checked in a second pass with a counting handler (a mismatch shows as WRONG). "
           "`bytes patched` is the span of text the arming changed at the site.", ""]
    out += mechanism_table(rows, with_instr=engine == "rtl") + [""]
    out += ["## Against the talk's x86 reference", "",
            "Ratios to `k` (the same machine on both sides of each ratio; x86-64 Xeon E5410 "
            "figures from the talk: k = 0.99 us, b = 0.43 us, o = 0.06 us).", ""]
    out += ratio_lines(rows) + [""]
    out += ["## Goals", ""] + table(["goal", "xlen", "result", "numbers"],
                                    [[g, f"RV{x}", v, d] for g, x, v, d in goals(rows, engine)]) + [""]
    out += ["## Where Xspc and Xjall win, and where they do not", "",
            "Generated from the rows above (lower cycles per hit wins)."]
    out += [""] + [f"- {w}" for w in wins(rows, engine)] + [""]
    out += ["## ftrace call sites", "",
            "Cycles per call against the same function without a site; text: "
            "executable bytes of sw/bench/workload.c + runtime built with each scheme.", ""]
    out += ftrace_table(rows) + [""]
    out += ["## Core CPI and stalls on a compiled C workload", ""] + cpi_table(rows) + [""]
    out += ["## Speeds and other sections", "", "Running time of the measurement programs:", ""]
    out += (run_time_lines(rows) or ["- none run"]) + [""] + other_sections(rows)
    plots = meta.get("plots")
    if plots:
        out += ["## Plots", ""] + ([plots] if isinstance(plots, str) else
                                   [f"![{p}]({p})" for p in plots]) + [""]
    miss = missing_lines(rows)
    out += ["## Missing or wrong rows", ""] + (miss or ["none"]) + [""]
    out += ["## How each row was measured", ""] + (how_lines(rows) or ["no rows"]) + [""]
    out += ["## Reproduce", "", "```sh",
            "make bench                          # = spcore bench (RTL engine, RV32 and RV64)",
            "spcore bench --engine model         # the same programs on the golden model (fast)",
            "spcore bench --json                 # one JSON object on the last line",
            "spcore bench --update-readme        # also rewrite the README's table", "```",
            "", "Outputs: build/bench/report.md, report.json, *.png; the measurement programs "
            "are sw/bench/probes.c, ftrace.c (BENCH lines, docs/MEASUREMENTS.md).", ""]
    return "\n".join(out)


def readme_block(report):
    rows = Rows(report["rows"])
    meta = report["meta"]
    rtl = meta["engine"] == "rtl"
    head, keys = ["row"], []
    for x in rows.xlens:
        if rtl:
            head.append(f"RV{x} cycles (RTL)")
            keys.append((x, "cycles_per_hit"))
        head.append(f"RV{x} instructions (model)")
        keys.append((x, "instr_per_hit" if rtl else "cycles_per_hit"))
    body = [[f"`{n}`"] + [cell(rows, n, x, k) for x, k in keys]
            for n in ("k", "b", "b-spc", "o-classic", "o-spc", "kret", "kret-spc", "u",
                      "f-t0-disabled", "f-call-ops-disabled", "f-jall-disabled",
                      "f-t0-empty", "f-jall-empty")]
    unit = "cycles per hit on the RTL" if meta["engine"] == "rtl" else \
        "instructions per hit on the golden model, not cycles"
    out = [README_BEGIN,
           f"Cost per hit with empty handlers ({unit}; commit "
           f"{meta['commit']}). Full report with ratios to the talk's x86 numbers, goals, "
           f"ftrace sites and CPI: `{meta.get('report', 'build/bench/report.md')}` "
           "([how it is measured](docs/MEASUREMENTS.md)).", ""]
    out += table(head, body) + [""]
    out += ["Goals: " + "; ".join(f"{g} RV{x}: {v}"
                                  for g, x, v, _ in goals(rows, meta["engine"])), ""]
    out += ["Reproduce: `make bench` (RTL) or `spcore bench --engine model` (fast); "
            "`spcore bench --update-readme` rewrites this block.", README_END]
    return "\n".join(out)


def update_readme(path, report):
    text = path.read_text()
    if text.count(README_BEGIN) != 1 or text.count(README_END) != 1:
        raise SpcoreError(f"{path}: needs exactly one {README_BEGIN} ... {README_END} block")
    pre, rest = text.split(README_BEGIN)
    _, post = rest.split(README_END)
    path.write_text(pre + readme_block(report) + post)
