"""`spcore fpga --units`: LUTs and FFs per unit, for base / +spc / +jall / both.

The cost table synthesizes the flattened SoC, where the optimizer works across unit
boundaries: the real size, but a small change moves LUTs anywhere in the design (a few
hundred LUTs of noise between variants). Here each unit is synthesized on its own
(`synth_* -noflatten`): totals are larger than the real design, but a unit's count
changes only when that unit changes, so the table shows where each extension's cost
lands (the Xspc unit itself, the load unit's lrw2spc path, decode, ...).
"""
import os
import re

from .fpga import TARGETS, fpga_config, parse_stat, run_dir, synthesize
from .fpga_cost import VARIANTS


def unit_stats(stat_text, family):
    """yosys `stat` of a hierarchical design -> {module: counts}, the hierarchy's own total
    under "total"."""
    modules, _, hierarchy = stat_text.partition("=== design hierarchy ===")
    parts = re.split(r"^=== (\S+) ===$", modules, flags=re.M)
    out = {name: parse_stat(body, family) for name, body in zip(parts[1::2], parts[2::2])}
    if hierarchy:
        out["total"] = parse_stat(hierarchy, family)
    return out


def synthesize_units(target, xlen, spc, jall):
    cfg = fpga_config(target, xlen, spc, jall)
    d = run_dir(f"units-{target}", cfg)
    synthesize(target, cfg, d, checks=False, flatten=False)
    return unit_stats(open(os.path.join(d, "stat.txt")).read(), TARGETS[target][0])


def hierarchical_luts(target, xlen, spc, jall):
    """The hierarchy's LUT total: the cost table's "added per unit" column."""
    return synthesize_units(target, xlen, spc, jall)["total"]["luts"]


def short(module):
    return module.removeprefix("top.soc.core.").removeprefix("top.") or module


def units_table(target, xlen):
    """Markdown: one row per unit, LUTs (FFs) per variant, and the deltas to base."""
    runs = {name: synthesize_units(target, xlen, spc, jall) for name, spc, jall in VARIANTS}
    names = [v[0] for v in VARIANTS]
    modules = sorted(set().union(*runs.values()) - {"total", "top"},
                     key=lambda mod: (mod.count("."), mod))
    lines = [f"| unit ({target}, RV{xlen}) | " + " | ".join(names) + " |",
             "|---|" + "---|" * len(names)]

    def cell(r, mod, base):
        c = r.get(mod)
        if not c:
            return "-"
        delta = c["luts"] - (base.get(mod) or {}).get("luts", 0)
        more = f" ({delta:+d})" if r is not runs["base"] and delta else ""
        return f"{c['luts']} / {c['ffs']}{more}"
    for mod in modules + ["total"]:
        row = [cell(runs[n], mod, runs["base"]) for n in names]
        if mod != "total" and len(set(row)) == 1 and row[0] == "-":
            continue
        lines.append(f"| {short(mod) if mod != 'total' else '**total (hierarchical)**'} | "
                     + " | ".join(row) + " |")
    return "\n".join(lines) + "\n", runs
